//! SeaORM entities, one per table; the migrations are the schema's source of truth.

pub mod access_request;
pub mod account;
pub mod account_token;
pub mod audit_event;
pub mod consent;
pub mod contact_message;
pub mod control_number;
pub mod import_run;
pub mod invoice;
pub mod invoice_line;
pub mod invoice_pdf;
pub mod meter;
pub mod open_item;
pub mod outbox_message;
pub mod payer;
pub mod point;
pub mod point_service;
pub mod price;
pub mod reading;
pub mod service;
pub mod session;
pub mod staff_recovery_code;
pub mod staff_user;
pub mod states;
pub mod submitted_reading;
pub mod throttle;
