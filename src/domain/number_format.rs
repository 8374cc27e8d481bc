//! Slovenian number formatting shared by money, quantities and rates.

/// Between a value and its unit (`12,50 €`, `9,5 %`), so a line never breaks between them.
pub const NBSP: char = '\u{a0}';

/// `units` × 10^-`scale` with dots between thousands and a decimal comma, showing at least
/// `min_decimals` and at most `scale` decimals (trailing zeros beyond the minimum dropped).
pub(crate) fn format_scaled(units: i64, scale: u32, min_decimals: u32) -> String {
    let divisor = 10_u64.pow(scale);
    let magnitude = units.unsigned_abs();
    let mut decimals = format!("{:0width$}", magnitude % divisor, width = scale as usize);
    decimals.truncate(scale as usize);
    while decimals.len() > min_decimals as usize && decimals.ends_with('0') {
        decimals.pop();
    }
    let whole = (magnitude / divisor).to_string();
    let mut text = String::with_capacity(whole.len() * 4 / 3 + decimals.len() + 2);
    if units < 0 {
        text.push('-');
    }
    let first_group = (whole.len() - 1) % 3 + 1;
    text.push_str(&whole[..first_group]);
    for group in whole.as_bytes()[first_group..].chunks(3) {
        text.push('.');
        text.extend(group.iter().map(|&digit| char::from(digit)));
    }
    if !decimals.is_empty() {
        text.push(',');
        text.push_str(&decimals);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::format_scaled;

    #[test]
    fn groups_thousands_and_uses_a_decimal_comma() {
        assert_eq!(format_scaled(123456, 2, 2), "1.234,56");
        assert_eq!(format_scaled(-1250, 2, 2), "-12,50");
        assert_eq!(format_scaled(5, 2, 2), "0,05");
        assert_eq!(format_scaled(100_000_000, 2, 2), "1.000.000,00");
        assert_eq!(format_scaled(i64::MIN, 2, 2), "-92.233.720.368.547.758,08");
    }

    #[test]
    fn drops_trailing_zeros_beyond_the_minimum() {
        assert_eq!(format_scaled(1500, 3, 0), "1,5");
        assert_eq!(format_scaled(3000, 3, 0), "3");
        assert_eq!(format_scaled(1_234_000, 3, 0), "1.234");
        assert_eq!(format_scaled(950, 2, 0), "9,5");
        assert_eq!(format_scaled(7, 0, 0), "7");
    }
}
