//! ePortal: the self-service web portal of a communal utility company.

pub mod api;
pub mod app;
pub mod auth;
pub mod captcha;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod i18n;
pub mod import;
pub mod mail;
pub mod startup;
pub mod store;
pub mod telemetry;
pub mod web;
