//! Addresses as billing writes them: a street with its house number, e.g. `STARA ULICA 1` or
//! `CESTA NA BRDO 5A`.

/// The street's name without the house number: without its last word when that begins with a
/// digit (`STARA ULICA 1` → `STARA ULICA`, `CESTA 4. MAJA 3` → `CESTA 4. MAJA`), or its last
/// two in `STARA ULICA 12 A`.
pub fn street_name(street: &str) -> &str {
    let street = street.trim();
    let without_last = |text: &str| -> Option<(usize, bool)> {
        let (rest, last) = text.rsplit_once(char::is_whitespace)?;
        Some((
            rest.trim_end().len(),
            last.starts_with(|c: char| c.is_ascii_digit()),
        ))
    };
    match without_last(street) {
        Some((end, true)) => &street[..end],
        Some((end, false)) if street[end..].trim().chars().count() == 1 => {
            match without_last(&street[..end]) {
                Some((before, true)) => &street[..before],
                _ => street,
            }
        }
        _ => street,
    }
}

/// Whether `typed` names the street of `street`, in any case (`Cesta na Brdo` and
/// `CESTA NA BRDO 5A`), and not just a street whose name begins with it.
pub fn is_on_street(street: &str, typed: &str) -> bool {
    let typed = typed.split_whitespace().collect::<Vec<_>>().join(" ");
    !typed.is_empty() && street_name(street).to_uppercase() == typed.to_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_street_name_is_what_comes_before_the_house_number() {
        assert_eq!(street_name("STARA ULICA 1"), "STARA ULICA");
        assert_eq!(street_name("CESTA NA BRDO 5A"), "CESTA NA BRDO");
        assert_eq!(street_name("BREZOVICA 12"), "BREZOVICA");
        assert_eq!(street_name("CESTA 4. MAJA 3"), "CESTA 4. MAJA");
        assert_eq!(street_name("STARA ULICA 12 A"), "STARA ULICA");
        assert_eq!(street_name("ULICA A"), "ULICA A");
        assert_eq!(street_name("POD KRIMOM"), "POD KRIMOM");
        assert_eq!(street_name("  LIPOVA ULICA  12 "), "LIPOVA ULICA");
    }

    #[test]
    fn a_street_is_named_in_any_case_and_only_whole() {
        assert!(is_on_street("ČRNA VAS 12", "Črna  vas"));
        assert!(is_on_street("CESTA NA BRDO 5A", "cesta na brdo"));
        assert!(!is_on_street("CESTA NA BRDO 5A", "Cesta"));
        assert!(!is_on_street("STARA ULICA 1", ""));
        assert!(!is_on_street("STARA ULICA 1", "STARA ULICA 1"));
    }
}
