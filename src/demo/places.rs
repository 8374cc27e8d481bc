//! Where and who the demo's payers are: settlements of the Brezovica municipality with their
//! post offices, and common Slovenian names, written in capitals as billing prints them.

use super::random::Random;

pub struct Settlement {
    pub name: &'static str,
    pub postal_code: &'static str,
    pub post: &'static str,
    /// Empty where houses are numbered within the settlement ("PODPEČ 45").
    pub streets: &'static [&'static str],
    /// Whether the public sewer reaches it.
    pub sewer: bool,
    /// How many of the demo's households live there, relative to the others.
    pub weight: i64,
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
    Settlement { name: BREZOVICA, postal_code: "1351", post: "BREZOVICA PRI LJUBLJANI", streets: &["STARA ULICA", "TRŽAŠKA CESTA", "PODPEŠKA CESTA", "ŠOLSKA ULICA", "VRTNA ULICA", "KOLODVORSKA ULICA", "CESTA NA GMAJNO"], sewer: true, weight: 12 },
    Settlement { name: VNANJE_GORICE, postal_code: "1351", post: "BREZOVICA PRI LJUBLJANI", streets: &["CESTA NA POSTAJO", "GASILSKA ULICA", "LIPOVA ULICA", "CERKVENA ULICA", "POT NA BARJE"], sewer: true, weight: 8 },
    Settlement { name: NOTRANJE_GORICE, postal_code: "1357", post: "NOTRANJE GORICE", streets: &["PODPEŠKA CESTA", "OB ŽELEZNICI", "POT V MLAKE", "GORIČKA CESTA"], sewer: true, weight: 7 },
    Settlement { name: "PLEŠIVICA", postal_code: "1357", post: "NOTRANJE GORICE", streets: &[], sewer: true, weight: 3 },
    Settlement { name: "VRBLJENE", postal_code: "1357", post: "NOTRANJE GORICE", streets: &[], sewer: false, weight: 1 },
    Settlement { name: "LUKOVICA PRI BREZOVICI", postal_code: "1351", post: "BREZOVICA PRI LJUBLJANI", streets: &[], sewer: true, weight: 2 },
    Settlement { name: "ŽABNICA", postal_code: "1351", post: "BREZOVICA PRI LJUBLJANI", streets: &[], sewer: false, weight: 1 },
    Settlement { name: "PODPEČ", postal_code: "1352", post: "PRESERJE", streets: &[], sewer: true, weight: 3 },
    Settlement { name: "PRESERJE", postal_code: "1352", post: "PRESERJE", streets: &[], sewer: true, weight: 3 },
    Settlement { name: JEZERO, postal_code: "1352", post: "PRESERJE", streets: &[], sewer: true, weight: 1 },
    Settlement { name: "KAMNIK POD KRIMOM", postal_code: "1352", post: "PRESERJE", streets: &[], sewer: true, weight: 2 },
    Settlement { name: RAKITNA, postal_code: "1352", post: "PRESERJE", streets: &[], sewer: false, weight: 3 },
    Settlement { name: "GORIČICA POD KRIMOM", postal_code: "1352", post: "PRESERJE", streets: &[], sewer: false, weight: 1 },
    Settlement { name: "PREVALJE POD KRIMOM", postal_code: "1352", post: "PRESERJE", streets: &[], sewer: false, weight: 1 },
];

/// A settlement drawn by its weight.
pub fn draw_settlement(random: &mut Random) -> &'static Settlement {
    let total: i64 = SETTLEMENTS.iter().map(|settlement| settlement.weight).sum();
    let mut drawn = random.between(1, total);
    SETTLEMENTS
        .iter()
        .find(|settlement| {
            drawn -= settlement.weight;
            drawn <= 0
        })
        .expect("a draw within the total weight")
}

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
