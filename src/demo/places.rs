//! Where and who the demo's payers are: settlements of the Brezovica municipality with their
//! post offices, and common Slovenian names, written in capitals as billing prints them.

pub struct Settlement {
    pub name: &'static str,
    pub postal_code: &'static str,
    pub post: &'static str,
    /// Empty where houses are numbered within the settlement ("PODPEČ 45").
    pub streets: &'static [&'static str],
    /// Whether the public sewer reaches it.
    pub sewer: bool,
}

pub struct Address {
    pub street: String,
    pub postal_code: &'static str,
    pub city: String,
}

impl Settlement {
    /// The settlement's own name is the city where it has streets, its post office's where
    /// houses are numbered within it.
    pub fn address(&'static self, street: Option<&str>, house: i64) -> Address {
        let (street, city) = match street {
            Some(street) => (format!("{street} {house}"), self.name),
            None => (format!("{} {house}", self.name), self.post),
        };
        Address {
            street,
            postal_code: self.postal_code,
            city: city.to_owned(),
        }
    }
}

pub const BREZOVICA: &str = "BREZOVICA";
pub const VNANJE_GORICE: &str = "VNANJE GORICE";
pub const NOTRANJE_GORICE: &str = "NOTRANJE GORICE";
pub const JEZERO: &str = "JEZERO";
pub const RAKITNA: &str = "RAKITNA";

#[rustfmt::skip]
pub const SETTLEMENTS: &[Settlement] = &[
    Settlement { name: BREZOVICA, postal_code: "1351", post: "BREZOVICA PRI LJUBLJANI", streets: &["STARA ULICA", "TRŽAŠKA CESTA", "PODPEŠKA CESTA", "ŠOLSKA ULICA", "VRTNA ULICA", "KOLODVORSKA ULICA", "CESTA NA GMAJNO"], sewer: true },
    Settlement { name: VNANJE_GORICE, postal_code: "1351", post: "BREZOVICA PRI LJUBLJANI", streets: &["CESTA NA POSTAJO", "GASILSKA ULICA", "LIPOVA ULICA", "CERKVENA ULICA", "POT NA BARJE"], sewer: true },
    Settlement { name: NOTRANJE_GORICE, postal_code: "1357", post: "NOTRANJE GORICE", streets: &["PODPEŠKA CESTA", "OB ŽELEZNICI", "POT V MLAKE", "GORIČKA CESTA"], sewer: true },
    Settlement { name: "PLEŠIVICA", postal_code: "1357", post: "NOTRANJE GORICE", streets: &[], sewer: true },
    Settlement { name: "VRBLJENE", postal_code: "1357", post: "NOTRANJE GORICE", streets: &[], sewer: false },
    Settlement { name: "LUKOVICA PRI BREZOVICI", postal_code: "1351", post: "BREZOVICA PRI LJUBLJANI", streets: &[], sewer: true },
    Settlement { name: "ŽABNICA", postal_code: "1351", post: "BREZOVICA PRI LJUBLJANI", streets: &[], sewer: false },
    Settlement { name: "PODPEČ", postal_code: "1352", post: "PRESERJE", streets: &[], sewer: true },
    Settlement { name: "PRESERJE", postal_code: "1352", post: "PRESERJE", streets: &[], sewer: true },
    Settlement { name: JEZERO, postal_code: "1352", post: "PRESERJE", streets: &[], sewer: true },
    Settlement { name: "KAMNIK POD KRIMOM", postal_code: "1352", post: "PRESERJE", streets: &[], sewer: true },
    Settlement { name: RAKITNA, postal_code: "1352", post: "PRESERJE", streets: &[], sewer: false },
    Settlement { name: "GORIČICA POD KRIMOM", postal_code: "1352", post: "PRESERJE", streets: &[], sewer: false },
    Settlement { name: "PREVALJE POD KRIMOM", postal_code: "1352", post: "PRESERJE", streets: &[], sewer: false },
];

pub fn settlement(name: &str) -> &'static Settlement {
    SETTLEMENTS
        .iter()
        .find(|settlement| settlement.name == name)
        .expect("a settlement of the list")
}

pub const SURNAMES: &[&str] = &[
    "HORVAT",
    "KOVAČIČ",
    "KRAJNC",
    "ZUPANČIČ",
    "POTOČNIK",
    "KOVAČ",
    "MLAKAR",
    "KOS",
    "VIDMAR",
    "GOLOB",
    "TURK",
    "BOŽIČ",
    "KOLAR",
    "ZUPAN",
    "BIZJAK",
    "HRIBAR",
    "KOTNIK",
    "KAVČIČ",
    "ROZMAN",
    "KASTELIC",
    "OBLAK",
    "PETEK",
    "ŽAGAR",
    "HOČEVAR",
    "KOLENC",
    "KOŠIR",
    "KOREN",
    "KLEMENČIČ",
    "ZAKRAJŠEK",
    "KNEZ",
    "RUPNIK",
    "JERAJ",
    "ČERNE",
    "JANEŽIČ",
    "PIRC",
    "DOLENC",
    "MEDVED",
    "PETRIČ",
    "LESKOVEC",
    "ŠUŠTAR",
    "MRAK",
    "JAKLIČ",
    "GRUDEN",
    "STRNAD",
    "ŠKRLJ",
];

pub const FIRST_NAMES: &[&str] = &[
    "MARIJA", "FRANC", "ANA", "IVAN", "MAJA", "MARKO", "IRENA", "ANDREJ", "MOJCA", "JOŽE",
    "NATAŠA", "MATEJ", "BARBARA", "LUKA", "PETRA", "TOMAŽ", "ŠPELA", "BOŠTJAN", "ANJA", "GREGOR",
    "NINA", "PRIMOŽ", "TJAŠA", "ROK", "URŠKA", "MIHA", "KATJA", "MATJAŽ", "NEŽA", "ŽIGA", "ALENKA",
    "ANTON", "METKA", "STANE", "VESNA", "DUŠAN", "ZDENKA", "JANEZ",
];

/// Small businesses with their premises: name, settlement, yearly water use in m³, meter size.
pub const BUSINESSES: &[(&str, &str, i64, u16)] = &[
    ("MIZARSTVO ŽAGAR, TOMAŽ ŽAGAR S.P.", "VRBLJENE", 180, 20),
    (
        "FRIZERSKI SALON ŠPELA, ŠPELA GOLOB S.P.",
        VNANJE_GORICE,
        260,
        20,
    ),
    ("AVTOSERVIS HRIBAR D.O.O.", NOTRANJE_GORICE, 420, 25),
    ("TRGOVINA RAKITNA D.O.O.", RAKITNA, 310, 25),
    ("KMETIJA JERAJ", "ŽABNICA", 950, 32),
];
