//! The integration tests: one binary; every test runs on SQLite and on PostgreSQL.

mod support;

mod access_request;
mod cli;
mod email_first;
mod import;
mod mail;
mod pages;
mod password_reset;
mod registration;
mod sign_in;
mod storage;
