//! What was wrong with a submitted form: shown in a summary at the top and beside each field,
//! in the order of the fields (the GOV.UK pattern).

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FormErrors(Vec<(&'static str, String)>);

impl FormErrors {
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push((field, message.into()));
    }

    /// The first message for `field`, or "" when it is fine (templates test for emptiness).
    pub fn get(&self, field: &str) -> &str {
        self.0
            .iter()
            .find(|(name, _)| *name == field)
            .map_or("", |(_, message)| message.as_str())
    }

    /// Every message for `field`, for a field that can break several rules at once (a new
    /// password).
    pub fn all(&self, field: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(name, _)| *name == field)
            .map(|(_, message)| message.as_str())
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &(&'static str, String)> {
        self.0.iter()
    }
}
