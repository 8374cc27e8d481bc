//! Payment references of model SI12, as printed on the demo's invoices.

/// `SI12 <number><K>`: K is the mod-11 check digit over `number` (up to 12 digits) with
/// weights 2, 3, 4, … from the right; K = 11 − (sum mod 11), where 10 and 11 become 0.
pub fn si12(number: &str) -> String {
    debug_assert!(
        (1..=12).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_digit()),
        "P1 of model SI12 has 1 to 12 digits"
    );
    let sum: u32 = number
        .bytes()
        .rev()
        .zip(2..)
        .map(|(digit, weight)| u32::from(digit - b'0') * weight)
        .sum();
    let check = match 11 - sum % 11 {
        10 | 11 => 0,
        k => k,
    };
    format!("SI12 {number}{check}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_published_sample() {
        assert_eq!(si12("103384257453"), "SI12 1033842574531");
    }

    #[test]
    fn weighs_from_the_right_and_turns_ten_and_eleven_into_zero() {
        // 5·2 + 1·3 = 13 ≡ 2 (mod 11); 11 − 2 = 9
        assert_eq!(si12("15"), "SI12 159");
        // 6·2 = 12 ≡ 1; 11 − 1 = 10 → 0
        assert_eq!(si12("6"), "SI12 60");
        // 0 ≡ 0; 11 − 0 = 11 → 0
        assert_eq!(si12("0"), "SI12 00");
    }
}
