//! The whole domain of SPEC §2. Billing copies are keyed by their natural keys; what the
//! portal owns has surrogate ids. Money and meter values are integers in minor units.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

pub(super) fn fk(from: &str, from_col: &str, to: &str, to_col: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{from}_{from_col}"))
        .from(Alias::new(from), Alias::new(from_col))
        .to(Alias::new(to), Alias::new(to_col))
        .on_delete(ForeignKeyAction::Restrict)
        .on_update(ForeignKeyAction::Cascade)
        .to_owned()
}

pub(super) fn fk_cascade(
    from: &str,
    from_col: &str,
    to: &str,
    to_col: &str,
) -> ForeignKeyCreateStatement {
    fk(from, from_col, to, to_col)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

pub(super) fn fk_set_null(
    from: &str,
    from_col: &str,
    to: &str,
    to_col: &str,
) -> ForeignKeyCreateStatement {
    fk(from, from_col, to, to_col)
        .on_delete(ForeignKeyAction::SetNull)
        .to_owned()
}

fn index(table: &str, columns: &[&str]) -> IndexCreateStatement {
    let mut index = Index::create();
    index
        .name(format!("ix_{table}_{}", columns.join("_")))
        .table(Alias::new(table));
    for column in columns {
        index.col(Alias::new(*column));
    }
    index.clone()
}

fn composite_pk(columns: &[&str]) -> IndexCreateStatement {
    let mut pk = Index::create();
    for column in columns {
        pk.col(Alias::new(*column));
    }
    pk.clone()
}

fn updated_at() -> ColumnDef {
    timestamp_with_time_zone("updated_at")
}

fn tables() -> Vec<TableCreateStatement> {
    let t = |name: &str| Table::create().table(Alias::new(name)).to_owned();
    vec![
        // --- Copies of billing data -------------------------------------------------
        t("payers")
            .col(string("code").primary_key())
            .col(string("name"))
            .col(string_null("street"))
            .col(string_null("postal_code"))
            .col(string_null("city"))
            .col(string_null("tax_number"))
            .col(string_null("email"))
            .col(string_null("phone"))
            .col(updated_at())
            .to_owned(),
        t("services")
            .col(string("code").primary_key())
            .col(string("name"))
            .col(string("unit"))
            .col(updated_at())
            .to_owned(),
        t("prices")
            .col(string("service_code"))
            .col(date("valid_from"))
            .col(big_integer("price_ten_thousandths"))
            .col(integer("vat_rate_bp"))
            .col(updated_at())
            .primary_key(&mut composite_pk(&["service_code", "valid_from"]))
            .foreign_key(&mut fk_cascade(
                "prices",
                "service_code",
                "services",
                "code",
            ))
            .to_owned(),
        t("points")
            .col(string("code").primary_key())
            .col(string("payer_code"))
            .col(string_null("street"))
            .col(string_null("postal_code"))
            .col(string_null("city"))
            .col(string_null("kind"))
            .col(boolean("active"))
            .col(updated_at())
            .foreign_key(&mut fk("points", "payer_code", "payers", "code"))
            .to_owned(),
        t("point_services")
            .col(string("point_code"))
            .col(string("service_code"))
            .primary_key(&mut composite_pk(&["point_code", "service_code"]))
            .foreign_key(&mut fk_cascade(
                "point_services",
                "point_code",
                "points",
                "code",
            ))
            .foreign_key(&mut fk(
                "point_services",
                "service_code",
                "services",
                "code",
            ))
            .to_owned(),
        t("meters")
            .col(string("serial").primary_key())
            .col(string("point_code"))
            .col(string("medium"))
            .col(string("unit"))
            .col(small_integer("digits"))
            .col(small_integer("decimals"))
            .col(integer_null("dn"))
            .col(date("installed_on"))
            .col(date_null("removed_on"))
            .col(updated_at())
            .foreign_key(&mut fk("meters", "point_code", "points", "code"))
            .to_owned(),
        t("readings")
            .col(string("meter_serial"))
            .col(date("read_on"))
            .col(string("source"))
            .col(big_integer("litres"))
            .col(updated_at())
            .primary_key(&mut composite_pk(&["meter_serial", "read_on", "source"]))
            .foreign_key(&mut fk_cascade(
                "readings",
                "meter_serial",
                "meters",
                "serial",
            ))
            .to_owned(),
        t("invoices")
            .col(string("number").primary_key())
            .col(string("payer_code"))
            .col(string_null("point_code"))
            .col(date("issue_date"))
            .col(date_null("period_from"))
            .col(date_null("period_to"))
            .col(date("due_date"))
            .col(big_integer("net_cents"))
            .col(big_integer("vat_cents"))
            .col(big_integer("total_cents"))
            .col(string_null("reference"))
            .col(updated_at())
            .foreign_key(&mut fk("invoices", "payer_code", "payers", "code"))
            .foreign_key(&mut fk_set_null("invoices", "point_code", "points", "code"))
            .to_owned(),
        t("invoice_lines")
            .col(string("invoice_number"))
            .col(integer("line_no"))
            .col(string_null("service_code"))
            .col(string("description"))
            .col(big_integer_null("quantity_thousandths"))
            .col(string_null("unit"))
            .col(big_integer_null("unit_price_ten_thousandths"))
            .col(integer_null("vat_rate_bp"))
            .col(big_integer("amount_cents"))
            .col(updated_at())
            .primary_key(&mut composite_pk(&["invoice_number", "line_no"]))
            .foreign_key(&mut fk_cascade(
                "invoice_lines",
                "invoice_number",
                "invoices",
                "number",
            ))
            .foreign_key(&mut fk("invoice_lines", "service_code", "services", "code"))
            .to_owned(),
        t("invoice_pdfs")
            .col(string("invoice_number").primary_key())
            .col(blob("content"))
            .col(string("sha256"))
            .col(updated_at())
            .foreign_key(&mut fk_cascade(
                "invoice_pdfs",
                "invoice_number",
                "invoices",
                "number",
            ))
            .to_owned(),
        t("open_items")
            .col(big_pk_auto("id"))
            .col(string("payer_code"))
            .col(string("document_number"))
            .col(date("document_date"))
            .col(date("due_date"))
            .col(big_integer("amount_cents"))
            .col(big_integer("open_cents"))
            .foreign_key(&mut fk("open_items", "payer_code", "payers", "code"))
            .to_owned(),
        t("import_runs")
            .col(big_pk_auto("id"))
            .col(string("kind"))
            .col(string("file_name"))
            .col(string("sha256"))
            .col(integer("rows"))
            .col(integer("inserted"))
            .col(integer("updated"))
            .col(integer("unchanged"))
            .col(string("origin"))
            .col(timestamp_with_time_zone("applied_at"))
            .to_owned(),
        // --- What the portal owns ----------------------------------------------------
        t("accounts")
            .col(big_pk_auto("id"))
            .col(string_uniq("payer_code"))
            .col(string_null("email"))
            .col(timestamp_with_time_zone_null("email_confirmed_at"))
            .col(string_null("password_hash"))
            .col(string("state"))
            .col(string_null("display_name"))
            .col(string_null("phone"))
            .col(string_null("consent_version"))
            .col(timestamp_with_time_zone_null("consent_given_at"))
            .col(timestamp_with_time_zone("created_at"))
            .col(updated_at())
            .col(timestamp_with_time_zone_null("last_sign_in_at"))
            .foreign_key(&mut fk("accounts", "payer_code", "payers", "code"))
            .to_owned(),
        t("account_tokens")
            .col(big_pk_auto("id"))
            .col(big_integer("account_id"))
            .col(string("purpose"))
            .col(string_uniq("token_hash"))
            .col(string_null("new_email"))
            .col(timestamp_with_time_zone("expires_at"))
            .col(timestamp_with_time_zone_null("used_at"))
            .col(timestamp_with_time_zone("created_at"))
            .foreign_key(&mut fk_cascade(
                "account_tokens",
                "account_id",
                "accounts",
                "id",
            ))
            .to_owned(),
        t("consents")
            .col(big_pk_auto("id"))
            .col(big_integer("account_id"))
            .col(string("version"))
            .col(string("action"))
            .col(string_null("client_addr"))
            .col(timestamp_with_time_zone("at"))
            .foreign_key(&mut fk_cascade("consents", "account_id", "accounts", "id"))
            .to_owned(),
        t("control_numbers")
            .col(big_pk_auto("id"))
            .col(string("payer_code"))
            .col(string("number_hash"))
            .col(string_null("issued_by"))
            .col(timestamp_with_time_zone_null("expires_at"))
            .col(timestamp_with_time_zone_null("used_at"))
            .col(timestamp_with_time_zone("created_at"))
            .foreign_key(&mut fk_cascade(
                "control_numbers",
                "payer_code",
                "payers",
                "code",
            ))
            .to_owned(),
        t("access_requests")
            .col(big_pk_auto("id"))
            .col(string("full_name"))
            .col(string("address"))
            .col(string("point_code"))
            .col(string("tax_number"))
            .col(string("email"))
            .col(string("lang"))
            .col(string("status"))
            .col(string_null("payer_code"))
            .col(text_null("resolution"))
            .col(string_null("handled_by"))
            .col(timestamp_with_time_zone_null("handled_at"))
            .col(string_null("client_addr"))
            .col(timestamp_with_time_zone("created_at"))
            .to_owned(),
        t("contact_messages")
            .col(big_pk_auto("id"))
            .col(big_integer_null("account_id"))
            .col(string("name"))
            .col(string("email"))
            .col(text("message"))
            .col(string("lang"))
            .col(string_null("handled_by"))
            .col(timestamp_with_time_zone_null("handled_at"))
            .col(timestamp_with_time_zone("created_at"))
            .foreign_key(&mut fk_set_null(
                "contact_messages",
                "account_id",
                "accounts",
                "id",
            ))
            .to_owned(),
        t("submitted_readings")
            .col(big_pk_auto("id"))
            .col(big_integer("account_id"))
            .col(string("meter_serial"))
            .col(date("read_on"))
            .col(big_integer("litres"))
            .col(string("status"))
            .col(text_null("reason"))
            .col(string_null("client_addr"))
            .col(timestamp_with_time_zone("submitted_at"))
            .col(timestamp_with_time_zone_null("exported_at"))
            .col(timestamp_with_time_zone_null("feedback_at"))
            .foreign_key(&mut fk_cascade(
                "submitted_readings",
                "account_id",
                "accounts",
                "id",
            ))
            .foreign_key(&mut fk(
                "submitted_readings",
                "meter_serial",
                "meters",
                "serial",
            ))
            .to_owned(),
        t("audit_events")
            .col(big_pk_auto("id"))
            .col(timestamp_with_time_zone("at"))
            .col(string("actor_kind"))
            .col(string_null("actor"))
            .col(string("action"))
            .col(string_null("subject"))
            .col(string_null("client_addr"))
            .col(text_null("details"))
            .to_owned(),
        t("outbox")
            .col(big_pk_auto("id"))
            .col(string_uniq("message_id"))
            .col(string("to_addr"))
            .col(string("subject"))
            .col(text("body_text"))
            .col(text_null("body_html"))
            .col(string("status"))
            .col(integer("attempts"))
            .col(timestamp_with_time_zone("next_attempt_at"))
            .col(timestamp_with_time_zone_null("claimed_until"))
            .col(text_null("last_error"))
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone_null("sent_at"))
            .to_owned(),
        t("staff_users")
            .col(big_pk_auto("id"))
            .col(string_uniq("username"))
            .col(string("password_hash"))
            .col(string("role"))
            .col(string_null("totp_secret"))
            .col(boolean("disabled"))
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone_null("last_sign_in_at"))
            .to_owned(),
        t("api_tokens")
            .col(big_pk_auto("id"))
            .col(string("name"))
            .col(string_uniq("token_hash"))
            .col(string_null("created_by"))
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone_null("last_used_at"))
            .col(timestamp_with_time_zone_null("revoked_at"))
            .to_owned(),
        t("sessions")
            .col(string("id").primary_key())
            .col(blob("data"))
            .col(timestamp_with_time_zone("expires_at"))
            .to_owned(),
    ]
}

fn indexes() -> Vec<IndexCreateStatement> {
    vec![
        index("points", &["payer_code"]),
        index("meters", &["point_code"]),
        index("invoices", &["payer_code", "issue_date"]),
        index("invoice_lines", &["service_code"]),
        index("open_items", &["payer_code"]),
        index("accounts", &["email"]),
        index("account_tokens", &["account_id"]),
        index("consents", &["account_id"]),
        index("control_numbers", &["payer_code"]),
        index("access_requests", &["status", "created_at"]),
        index("contact_messages", &["handled_at", "created_at"]),
        index("submitted_readings", &["meter_serial", "read_on"]),
        index("submitted_readings", &["account_id"]),
        index("submitted_readings", &["status", "submitted_at"]),
        index("audit_events", &["at"]),
        index("audit_events", &["action", "at"]),
        index("outbox", &["status", "next_attempt_at"]),
        index("sessions", &["expires_at"]),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in tables() {
            manager.create_table(table).await?;
        }
        for index in indexes() {
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in tables().iter().rev() {
            let Some(name) = table.get_table_name().cloned() else {
                continue;
            };
            manager
                .drop_table(Table::drop().table(name).to_owned())
                .await?;
        }
        Ok(())
    }
}
