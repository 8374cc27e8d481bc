//! The password policy (§3.1): 8 to 128 characters, at least one upper-case letter, not a
//! common password and not built from the payer's own data. Each broken rule is a problem of
//! its own with a message of its own.

use zxcvbn::matching::patterns::{DictionaryPattern, MatchPattern};

pub const MIN_CHARS: usize = 8;
pub const MAX_CHARS: usize = 128;

/// What the portal knows about the payer, which a password must not be built from.
#[derive(Debug, Clone, Copy)]
pub struct PersonalData<'a> {
    pub payer_code: &'a str,
    pub name: Option<&'a str>,
    pub email: Option<&'a str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort { min: usize },
    TooLong { max: usize },
    NoUpperCase,
    Common,
    Personal,
}

impl PasswordProblem {
    pub fn message_id(&self) -> &'static str {
        match self {
            PasswordProblem::TooShort { .. } => "password-too-short",
            PasswordProblem::TooLong { .. } => "password-too-long",
            PasswordProblem::NoUpperCase => "password-no-upper-case",
            PasswordProblem::Common => "password-common",
            PasswordProblem::Personal => "password-personal",
        }
    }

    /// The arguments of [`Self::message_id`].
    pub fn args(&self) -> Vec<(&'static str, i64)> {
        let count = |chars: usize| i64::try_from(chars).unwrap_or(i64::MAX);
        match self {
            PasswordProblem::TooShort { min } => vec![("min", count(*min))],
            PasswordProblem::TooLong { max } => vec![("max", count(*max))],
            PasswordProblem::NoUpperCase | PasswordProblem::Common | PasswordProblem::Personal => {
                vec![]
            }
        }
    }
}

/// Every rule `password` breaks, in the order of [`PasswordProblem`]; none means it is accepted.
pub fn check_password(password: &str, personal: &PersonalData) -> Vec<PasswordProblem> {
    let chars = password.chars().count();
    let folded: Vec<char> = password.chars().map(fold).collect();
    let mut problems = Vec::new();
    if chars < MIN_CHARS {
        problems.push(PasswordProblem::TooShort { min: MIN_CHARS });
    }
    if chars > MAX_CHARS {
        problems.push(PasswordProblem::TooLong { max: MAX_CHARS });
    }
    if !password.chars().any(char::is_uppercase) {
        problems.push(PasswordProblem::NoUpperCase);
    }
    if is_common(&folded) {
        problems.push(PasswordProblem::Common);
    }
    if is_personal(&folded, personal) {
        problems.push(PasswordProblem::Personal);
    }
    problems
}

/// Lower case without háčeks, so that "KOVAČIČ", "Kovačič" and "kovacic" compare equal; ć and
/// đ too, as they are common in Slovenian surnames.
fn fold(c: char) -> char {
    match c.to_lowercase().next().unwrap_or(c) {
        'č' | 'ć' => 'c',
        'š' => 's',
        'ž' => 'z',
        'đ' => 'd',
        lower => lower,
    }
}

/// Slovenian commonplaces that zxcvbn's English-based list lacks, folded like the password.
/// Digits and symbols after them do not help, so "geslo" stands for "Geslo123!" as well.
const SLOVENIAN_COMMON_PASSWORDS: &[&str] = &[
    "geslo",
    "mojegeslo",
    "novogeslo",
    "eportal",
    "portal",
    "komunala",
    "vodovod",
    "voda",
    "slovenija",
    "ljubljana",
    "maribor",
    "celje",
    "kranj",
    "koper",
    "brezovica",
    "triglav",
    "olimpija",
    "qwertz",
    "qwertzuiop",
    "yxcvbnm",
    "ljubezen",
    "sonce",
    "soncek",
    "zivjo",
    "zdravo",
    "nogomet",
    "zmaj",
    "muca",
    "mucek",
    "kuza",
    "srecko",
    "cebelica",
    "mamica",
];

/// The longest entry of zxcvbn's list (ours are shorter). zxcvbn's l33t matching costs the
/// square of the length it is given times every reading of the l33t symbols in it, so it is
/// given no more than a common password can take up.
const LONGEST_COMMON_PASSWORD: usize = 20;

/// A common password is one on zxcvbn's list of 30,000 (or ours), in any case, reversed or in
/// l33t (P@ssw0rd), followed by nothing but digits and symbols (Password123!, Geslo2024).
fn is_common(folded: &[char]) -> bool {
    // No list entry reaches a letter past the longest one.
    if folded
        .iter()
        .skip(LONGEST_COMMON_PASSWORD)
        .any(|c| c.is_alphabetic())
    {
        return false;
    }
    let analysed: String = folded.iter().take(LONGEST_COMMON_PASSWORD).collect();
    let entropy = zxcvbn::zxcvbn(&analysed, SLOVENIAN_COMMON_PASSWORDS);
    // zxcvbn tells only its cheapest reading of the password. That starts with the list entry
    // unless the same word ranks higher on another of its lists (names, English words).
    entropy.sequence().first().is_some_and(|first| {
        first.i == 0
            && matches!(
                &first.pattern,
                MatchPattern::Dictionary(found) if is_on_a_list_of_common_passwords(found)
            )
            && folded.iter().skip(first.j + 1).all(|c| !c.is_alphabetic())
    })
}

/// zxcvbn does not export the type of its dictionaries' names, so it is told by its name.
fn is_on_a_list_of_common_passwords(found: &DictionaryPattern) -> bool {
    // "UserInputs" are ours: SLOVENIAN_COMMON_PASSWORDS.
    matches!(
        format!("{:?}", found.dictionary_name).as_str(),
        "Passwords" | "UserInputs"
    )
}

/// A piece of the payer's own data, folded, with only letters and digits, like the password.
struct Piece {
    chars: Vec<char>,
    /// Long enough that a password containing it anywhere gives it away.
    telling: bool,
}

impl Piece {
    fn new(text: &str, telling_from: usize) -> Self {
        let chars: Vec<char> = alphanumerics(text).collect();
        Piece {
            telling: chars.len() >= telling_from,
            chars,
        }
    }
}

fn alphanumerics(text: &str) -> impl Iterator<Item = char> {
    text.chars().filter(|c| c.is_alphanumeric()).map(fold)
}

/// The payer code (telling from 4 digits), the e-mail's local part and its words, and each
/// word of the name (telling from 3 characters). Single characters say nothing and are left out.
fn pieces(personal: &PersonalData) -> Vec<Piece> {
    let mut pieces = vec![Piece::new(personal.payer_code, 4)];
    if let Some(email) = personal.email {
        let local_part = email
            .rsplit_once('@')
            .map_or(email, |(local_part, _)| local_part);
        pieces.push(Piece::new(local_part, 3));
        pieces.extend(
            local_part
                .split(|c: char| !c.is_alphanumeric())
                .map(|word| Piece::new(word, 3)),
        );
    }
    if let Some(name) = personal.name {
        pieces.extend(
            name.split(|c: char| !c.is_alphabetic())
                .map(|word| Piece::new(word, 3)),
        );
    }
    pieces.retain(|piece| piece.chars.len() >= 2);
    pieces
}

/// Personal: the password (letters and digits only) contains a telling piece, or at least
/// half of its characters are pieces, however short (Li, 42).
fn is_personal(folded: &[char], personal: &PersonalData) -> bool {
    let compared: Vec<char> = folded
        .iter()
        .copied()
        .filter(|c| c.is_alphanumeric())
        .collect();
    let mut covered = vec![false; compared.len()];
    for piece in pieces(personal) {
        for (start, window) in compared.windows(piece.chars.len()).enumerate() {
            if window == piece.chars.as_slice() {
                if piece.telling {
                    return true;
                }
                covered[start..start + window.len()].fill(true);
            }
        }
    }
    let covered = covered.iter().filter(|&&is_covered| is_covered).count();
    covered > 0 && 2 * covered >= folded.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Arg, Lang};
    use PasswordProblem::*;
    use proptest::prelude::*;

    /// The demo account's payer (docs/demo.md).
    const DEMO: PersonalData = PersonalData {
        payer_code: "204518",
        name: Some("KOVAČIČ MOJCA"),
        email: Some("mojca.kovacic@example.com"),
    };

    const NOVAK: PersonalData = PersonalData {
        payer_code: "123456",
        name: Some("NOVAK JANEZ"),
        email: Some("jnovak77@example.si"),
    };

    const NOBODY: PersonalData = PersonalData {
        payer_code: "",
        name: None,
        email: None,
    };

    #[test]
    fn strong_passwords_pass() {
        for password in [
            "Brezovica-Voda-2020",
            "Zelena Hruška Na Vrtu",
            "Kamnik-Pod-Krimom-6",
        ] {
            assert_eq!(check_password(password, &DEMO), [], "{password}");
            assert_eq!(check_password(password, &NOVAK), [], "{password}");
        }
    }

    #[test]
    fn each_rule_alone() {
        assert_eq!(
            check_password("Kamnik6", &NOVAK),
            [TooShort { min: MIN_CHARS }]
        );
        let long = "Kamnik-Pod-Krimom-6-".repeat(7);
        assert_eq!(
            check_password(&long[..MAX_CHARS + 1], &NOVAK),
            [TooLong { max: MAX_CHARS }]
        );
        assert_eq!(check_password("kamnik-pod-krimom-6", &NOVAK), [NoUpperCase]);
        assert_eq!(check_password("Password1", &NOVAK), [Common]);
        assert_eq!(check_password("Novak-Pod-Krimom-6", &NOVAK), [Personal]);
    }

    #[test]
    fn reports_every_problem_in_order() {
        assert_eq!(
            check_password("geslo", &NOVAK),
            [TooShort { min: MIN_CHARS }, NoUpperCase, Common]
        );
        assert_eq!(
            check_password("novak1", &NOVAK),
            [TooShort { min: MIN_CHARS }, NoUpperCase, Personal]
        );
        assert_eq!(
            check_password("", &NOBODY),
            [TooShort { min: MIN_CHARS }, NoUpperCase]
        );
    }

    #[test]
    fn slovenian_capitals_are_upper_case() {
        for capital in ['Č', 'Š', 'Ž'] {
            let password = format!("zelena-hruska-{capital}");
            assert_eq!(check_password(&password, &NOVAK), [], "{password}");
        }
        assert_eq!(check_password("zelena-hruska-čšž", &NOVAK), [NoUpperCase]);
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert_eq!("Ččččččč1".len(), 15);
        assert!(!check_password("Ččččččč1", &NOBODY).contains(&TooShort { min: MIN_CHARS }));
        assert!(check_password("Ččččččč", &NOBODY).contains(&TooShort { min: MIN_CHARS }));

        let longest = "Žaba-".repeat(26);
        let longest: String = longest.chars().take(MAX_CHARS).collect();
        assert_eq!(check_password(&longest, &NOVAK), []);
        let too_long = format!("{longest}Ž");
        assert_eq!(too_long.chars().count(), 129);
        assert_eq!(
            check_password(&too_long, &NOVAK),
            [TooLong { max: MAX_CHARS }]
        );
    }

    #[test]
    fn common_passwords_are_refused() {
        for password in [
            "Password1",
            "Qwerty123",
            "Geslo123",
            "Slovenija1",
            "P@ssw0rd",
            "Password123!",
            "Geslo2024",
            "Drowssap1",
            "G3sl0-2024",
            "Ljubljana 2024!",
            "QWERTZ1234",
            "Trustno1",
            "Monkey12345",
            "Čebelica1",
        ] {
            assert!(
                check_password(password, &NOBODY).contains(&Common),
                "{password}"
            );
        }
    }

    #[test]
    fn a_common_word_inside_a_longer_password_is_fine() {
        for password in ["Password-Hruska", "Dragon Na Vrtu 7", "Geslo-Kamnik-6"] {
            assert!(
                !check_password(password, &NOBODY).contains(&Common),
                "{password}"
            );
        }
    }

    #[test]
    fn personal_data_is_refused() {
        for password in [
            "Novak12345X",
            "X123456abc",
            "Janez-2020!",
            "Jnovak77-Na-Vrtu",
            "N-O-V-A-K-zelen",
        ] {
            assert!(
                check_password(password, &NOVAK).contains(&Personal),
                "{password}"
            );
        }
        for password in ["Kovacic-Na-Vrtu-1", "KOVAČIČ-na-vrtu", "Hruška-Mojca-Rdeča"] {
            assert!(
                check_password(password, &DEMO).contains(&Personal),
                "{password}"
            );
        }
    }

    #[test]
    fn short_pieces_count_only_when_they_make_up_half() {
        let li = PersonalData {
            payer_code: "42",
            name: Some("LI WU"),
            email: None,
        };
        assert!(check_password("Li42Wu42Zz", &li).contains(&Personal));
        assert!(!check_password("Kamnik-Pod-Krimom-42", &li).contains(&Personal));
    }

    #[test]
    fn every_message_renders_in_both_languages() {
        let problems = [
            TooShort { min: MIN_CHARS },
            TooLong { max: MAX_CHARS },
            NoUpperCase,
            Common,
            Personal,
        ];
        for lang in Lang::ALL {
            for problem in problems {
                let id = problem.message_id();
                assert!(id.starts_with("password-"));
                let args: Vec<_> = problem
                    .args()
                    .into_iter()
                    .map(|(name, value)| (name, Arg::Number(value)))
                    .collect();
                let text = lang.t_with(id, &args);
                assert!(text != id && !text.contains('$'), "{id}: {text}");
                for (_, value) in problem.args() {
                    assert!(text.contains(&value.to_string()), "{text}");
                }
            }
        }
        assert_eq!(
            Lang::Sl.t_with("password-too-short", &[("min", Arg::Number(8))]),
            "Geslo mora imeti vsaj 8 znakov."
        );
    }

    fn passphrase() -> impl Strategy<Value = String> {
        // Consonants and hyphens: nothing of NOVAK's data, and several words, so no list entry
        // followed by digits and symbols only.
        proptest::collection::vec("[bcdfghlmprstwčš]{3,8}", 3..=6).prop_map(|words| {
            let phrase = words.join("-");
            let mut chars = phrase.chars();
            let first = chars.next().expect("three words or more");
            first.to_uppercase().chain(chars).collect()
        })
    }

    proptest! {
        #[test]
        fn random_passphrases_pass(password in passphrase()) {
            prop_assert_eq!(check_password(&password, &NOVAK), []);
        }

        #[test]
        fn length_and_case_rules_follow_the_characters(
            password in any::<String>(),
            payer_code in any::<String>(),
            name in proptest::option::of(any::<String>()),
            email in proptest::option::of(any::<String>()),
        ) {
            let personal = PersonalData {
                payer_code: &payer_code,
                name: name.as_deref(),
                email: email.as_deref(),
            };
            let problems = check_password(&password, &personal);
            let chars = password.chars().count();
            prop_assert_eq!(problems.contains(&TooShort { min: MIN_CHARS }), chars < MIN_CHARS);
            prop_assert_eq!(problems.contains(&TooLong { max: MAX_CHARS }), chars > MAX_CHARS);
            prop_assert_eq!(
                problems.contains(&NoUpperCase),
                !password.chars().any(char::is_uppercase)
            );
        }

        #[test]
        fn a_password_holding_the_payer_code_is_personal(
            payer_code in "[0-9]{4,12}",
            before in "[A-Za-zčšžČŠŽ!-]{0,10}",
            after in "[A-Za-zčšžČŠŽ!-]{0,10}",
        ) {
            let personal = PersonalData { payer_code: &payer_code, name: None, email: None };
            let password = format!("{before}{payer_code}{after}");
            prop_assert!(check_password(&password, &personal).contains(&Personal));
        }
    }
}
