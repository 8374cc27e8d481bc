//! The integration tests: one binary; every test runs on SQLite and on PostgreSQL.

mod support;

mod cli;
mod import;
mod mail;
mod pages;
mod sign_in;
mod storage;
