use sea_orm::entity::prelude::*;

use super::states::NoticeArea;

/// A notice of works or an outage ("Obvestila"), shown to the customers of the area it names
/// while it is valid, and kept afterwards.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub valid_from: Date,
    pub valid_to: Date,
    pub area: NoticeArea,
    /// The settlement of a settlement's or a street's notice (as the points' `city`).
    pub settlement: Option<String>,
    /// The street of a street's notice, without house numbers.
    pub street: Option<String>,
    pub published_by: String,
    pub published_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The text's paragraphs: its blocks between empty lines.
    pub fn paragraphs(&self) -> impl Iterator<Item = &str> {
        self.body
            .split("\n\n")
            .map(str::trim)
            .filter(|paragraph| !paragraph.is_empty())
    }
}
