//! A billing file's problems in the staff member's language: the file as a whole, or each bad
//! line with its line number and column.

use crate::i18n::{Arg, Lang};
use crate::import::{LineError, ParseFailure};

fn words(lang: Lang, id: &str, args: Vec<(&'static str, String)>) -> String {
    let args: Vec<_> = args
        .into_iter()
        .map(|(name, value)| (name, Arg::Text(value)))
        .collect();
    lang.t_with(id, &args)
}

fn line_words(lang: Lang, line: &LineError) -> String {
    let problem = words(lang, line.problem.message_id(), line.problem.args());
    let mut args = line.args();
    args.push(("problem", problem));
    words(lang, line.message_id(), args)
}

/// One sentence per problem, in file order.
pub fn describe(lang: Lang, failure: &ParseFailure) -> Vec<String> {
    match failure {
        ParseFailure::File(file) => vec![words(lang, file.message_id(), file.args())],
        ParseFailure::Lines(lines) => lines.iter().map(|line| line_words(lang, line)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{FileError, Problem};

    #[test]
    fn lines_and_files_read_in_both_languages() {
        let failure = ParseFailure::Lines(vec![
            LineError::new(
                3,
                Some("status"),
                Problem::BadVerdict {
                    text: "maybe".into(),
                },
            ),
            LineError::new(4, None, Problem::NotAwaitingVerdict),
        ]);
        let sl = describe(Lang::Sl, &failure);
        assert_eq!(
            sl[0],
            "Vrstica 3, stolpec status: »maybe« ni odločitev (accepted ali rejected)"
        );
        assert!(sl[1].starts_with("Vrstica 4: noben odčitek"), "{}", sl[1]);
        let en = describe(Lang::En, &ParseFailure::File(FileError::Empty));
        assert!(!en[0].starts_with("import-"), "{}", en[0]);
    }
}
