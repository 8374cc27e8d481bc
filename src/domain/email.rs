//! An e-mail address as the portal keeps it: trimmed, lower case, plausible enough to deliver
//! to (one `@`, a local part, a domain with a dot and sensible labels).

use std::fmt;

/// The longest address SMTP carries (RFC 5321: a 256-octet path less the angle brackets).
const MAX_LEN: usize = 254;
const MAX_LOCAL_LEN: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailProblem {
    Empty,
    Invalid,
}

impl EmailProblem {
    pub fn message_id(self) -> &'static str {
        match self {
            EmailProblem::Empty => "email-empty",
            EmailProblem::Invalid => "email-invalid",
        }
    }
}

impl EmailAddress {
    pub fn parse(input: &str) -> Result<Self, EmailProblem> {
        let address = input.trim().to_lowercase();
        if address.is_empty() {
            return Err(EmailProblem::Empty);
        }
        let valid = address.len() <= MAX_LEN
            && address
                .split_once('@')
                .is_some_and(|(local, domain)| valid_local(local) && valid_domain(domain));
        if valid {
            Ok(Self(address))
        } else {
            Err(EmailProblem::Invalid)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The unquoted local parts people have: letters, digits and the usual symbols, dots only
/// between them.
fn valid_local(local: &str) -> bool {
    !local.is_empty()
        && local.len() <= MAX_LOCAL_LEN
        && local.split('.').all(|atom| {
            !atom.is_empty()
                && atom
                    .chars()
                    .all(|c| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c))
        })
}

/// A host name with at least two labels (a typo such as `janez@gmail` is caught), each of
/// letters, digits and inner hyphens; the last not all digits.
fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| !tld.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_people_use_are_kept_trimmed_and_in_lower_case() {
        for (input, kept) in [
            (" Janez.Novak@Example.SI ", "janez.novak@example.si"),
            ("a+racuni@posta.siol.net", "a+racuni@posta.siol.net"),
            ("info@jkp-brezovica.si", "info@jkp-brezovica.si"),
            ("žan@šola.si", "žan@šola.si"),
        ] {
            assert_eq!(EmailAddress::parse(input).unwrap().as_str(), kept);
        }
    }

    #[test]
    fn typos_are_refused() {
        assert_eq!(EmailAddress::parse("  "), Err(EmailProblem::Empty));
        for input in [
            "janez",
            "janez@",
            "@example.si",
            "janez@gmail",
            "janez@@example.si",
            "janez novak@example.si",
            "janez..novak@example.si",
            ".janez@example.si",
            "janez@example..si",
            "janez@-example.si",
            "janez@example.si.",
            "janez@127.0.0.1",
            "janez@example,si",
            "<janez@example.si>",
        ] {
            assert_eq!(
                EmailAddress::parse(input),
                Err(EmailProblem::Invalid),
                "{input}"
            );
        }
        let long = format!("{}@example.si", "a".repeat(65));
        assert_eq!(EmailAddress::parse(&long), Err(EmailProblem::Invalid));
    }
}
