//! The heads of the back office's tables: a column a list may be ordered by is a link that
//! orders by it (again: the other way), marked with `aria-sort`.

use crate::i18n::Lang;
use crate::store::Order;

/// The columns a list may be ordered by, with their names in links.
pub trait Sortable: Copy + PartialEq + 'static {
    const COLUMNS: &'static [Self];
    fn name(self) -> &'static str;
}

/// One cell of a table's head.
pub struct HeaderCell {
    pub label: String,
    /// Numbers are right-aligned.
    pub numeric: bool,
    pub sort: Option<SortLink>,
}

/// The link of a column's head that orders the list by it.
pub struct SortLink {
    pub href: String,
    /// `ascending`, `descending` or `none`.
    pub aria_sort: &'static str,
    /// ` ▲`, ` ▼` or nothing, beside the label.
    pub arrow: &'static str,
}

impl HeaderCell {
    /// A cell that does not order anything.
    pub fn plain(lang: Lang, key: &str) -> Self {
        Self {
            label: lang.t(key),
            numeric: false,
            sort: None,
        }
    }

    pub fn numeric(mut self) -> Self {
        self.numeric = true;
        self
    }

    /// A cell that orders the list at `path?query` by `column`, the list being in `current`
    /// order; `query` is the search, ending in `&`.
    pub fn sorting<K: Sortable>(
        lang: Lang,
        key: &str,
        column: K,
        current: Order<K>,
        (path, query): (&str, &str),
    ) -> Self {
        let here = current.by == column;
        let ascending = !(here && current.ascending);
        let dir = if ascending { "asc" } else { "desc" };
        let (aria_sort, arrow) = match (here, current.ascending) {
            (false, _) => ("none", ""),
            (true, true) => ("ascending", " ▲"),
            (true, false) => ("descending", " ▼"),
        };
        Self {
            label: lang.t(key),
            numeric: false,
            sort: Some(SortLink {
                href: format!("{path}?{query}sort={}&dir={dir}", column.name()),
                aria_sort,
                arrow,
            }),
        }
    }
}

/// The order a link asks for (`sort=<column>&dir=asc|desc`), or `default`.
pub fn order_of<K: Sortable>(sort: &str, dir: &str, default: Order<K>) -> Order<K> {
    K::COLUMNS
        .iter()
        .copied()
        .find(|column| column.name() == sort)
        .map_or(default, |by| Order {
            by,
            ascending: dir != "desc",
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Column {
        Date,
        Name,
    }

    impl Sortable for Column {
        const COLUMNS: &'static [Self] = &[Column::Date, Column::Name];
        fn name(self) -> &'static str {
            match self {
                Column::Date => "date",
                Column::Name => "name",
            }
        }
    }

    const NEWEST: Order<Column> = Order {
        by: Column::Date,
        ascending: false,
    };

    #[test]
    fn links_order_by_their_column_and_turn_it_round() {
        let here = ("/list", "q=x&");
        let date = HeaderCell::sorting(Lang::Sl, "k", Column::Date, NEWEST, here);
        let date = date.sort.unwrap();
        assert_eq!(date.href, "/list?q=x&sort=date&dir=asc");
        assert_eq!((date.aria_sort, date.arrow), ("descending", " ▼"));
        let name = HeaderCell::sorting(Lang::Sl, "k", Column::Name, NEWEST, here);
        let name = name.sort.unwrap();
        assert_eq!(name.href, "/list?q=x&sort=name&dir=asc");
        assert_eq!(name.aria_sort, "none");
    }

    #[test]
    fn an_unknown_order_is_the_default() {
        assert_eq!(
            order_of("name", "desc", NEWEST),
            Order {
                by: Column::Name,
                ascending: false
            }
        );
        assert_eq!(
            order_of("name", "", NEWEST),
            Order {
                by: Column::Name,
                ascending: true
            }
        );
        assert_eq!(order_of("drop table", "asc", NEWEST), NEWEST);
    }
}
