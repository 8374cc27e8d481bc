//! The states and kinds the database keeps as text, as enums: a value the code does not know
//! is an error when a row is read, never taken for some default.

use sea_orm::entity::prelude::*;

/// Generates `as_str`, the text the database keeps, and `ALL` for an active enum.
macro_rules! stored_as {
    ($name:ident { $($(#[$doc:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, serde::Serialize,
        )]
        #[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
        pub enum $name {
            $($(#[$doc])* #[sea_orm(string_value = $text)] #[serde(rename = $text)] $variant,)+
        }

        impl $name {
            /// Every value, in the order declared.
            pub const ALL: &'static [Self] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }
        }
    };
}

stored_as!(AccountState {
    /// Registered, waiting for the activation link.
    Pending => "pending",
    Active => "active",
    /// Staff locked it; signing in is refused.
    Locked => "locked",
});

stored_as!(ConsentDecision {
    Given => "given",
    Declined => "declined",
    Withdrawn => "withdrawn",
});

stored_as!(OutboxStatus {
    /// Waiting for delivery (or for the next attempt).
    Queued => "queued",
    Sent => "sent",
    /// Given up: a permanent refusal or too many attempts.
    Failed => "failed",
});

stored_as!(SubmissionStatus {
    /// Waiting for billing to take it; the customer may still replace it.
    Submitted => "submitted",
    /// Taken by billing in an export.
    Exported => "exported",
    /// Billing took it as a reading.
    Accepted => "accepted",
    /// Billing refused it (the reason is kept beside it).
    Rejected => "rejected",
    /// The customer sent another reading of the same meter and day before billing took it.
    Replaced => "replaced",
});

stored_as!(StaffRole {
    /// Works the back office's lists.
    Operator => "operator",
    /// Also imports, API tokens and staff accounts.
    Admin => "admin",
});

stored_as!(AccessRequestStatus {
    /// Waiting for staff.
    Open => "open",
    /// A control number went to the requester.
    Resolved => "resolved",
    /// Refused, with the reason the requester was sent.
    Refused => "refused",
});

stored_as!(AuditAction {
    AccessRequest => "access_request",
    Activation => "activation",
    ActivationResent => "activation_resent",
    ConsentDeclined => "consent_declined",
    ConsentGiven => "consent_given",
    ConsentWithdrawn => "consent_withdrawn",
    ContactMessage => "contact_message",
    DataDownloaded => "data_downloaded",
    EmailConfirmationSent => "email_confirmation_sent",
    EmailConfirmed => "email_confirmed",
    ForeignObject => "foreign_object",
    ImportApplied => "import_applied",
    PasswordChanged => "password_changed",
    PasswordReset => "password_reset",
    PasswordResetRequested => "password_reset_requested",
    ProfileChanged => "profile_changed",
    ReadingSubmitted => "reading_submitted",
    ReadingsExported => "readings_exported",
    ReadingVerdictsApplied => "reading_verdicts_applied",
    Registration => "registration",
    SignIn => "sign_in",
    SignInFailed => "sign_in_failed",
    SignInThrottled => "sign_in_throttled",
    SignOut => "sign_out",
    StaffSignIn => "staff_sign_in",
    StaffSignInFailed => "staff_sign_in_failed",
    StaffCodeRefused => "staff_code_refused",
    StaffTotpEnrolled => "staff_totp_enrolled",
    StaffRecoveryCodeUsed => "staff_recovery_code_used",
    StaffSignOut => "staff_sign_out",
    MailRetried => "mail_retried",
    ContactMessageHandled => "contact_message_handled",
    ContactMessageAnswered => "contact_message_answered",
    AccessRequestResolved => "access_request_resolved",
    AccessRequestRefused => "access_request_refused",
    StaffConfirmed => "staff_confirmed",
    AuditExported => "audit_exported",
    StaffDisabled => "staff_disabled",
    StaffEnabled => "staff_enabled",
    StaffAdded => "staff_added",
    StaffTotpReset => "staff_totp_reset",
    StaffRoleChanged => "staff_role_changed",
    AccountLocked => "account_locked",
    AccountUnlocked => "account_unlocked",
    AccountSessionsEnded => "account_sessions_ended",
    AccountDeleted => "account_deleted",
    ApiTokenCreated => "api_token_created",
    ApiTokenRevoked => "api_token_revoked",
    NotificationsChanged => "notifications_changed",
    Unsubscribed => "unsubscribed",
    NoticePublished => "notice_published",
    InvoiceEmailPayersExported => "invoice_email_payers_exported",
});

stored_as!(NotificationKind {
    /// Each new invoice's PDF by e-mail ("Račun po e-pošti").
    InvoiceEmail => "invoice_email",
    /// When the reading window opens, and two days before it closes.
    ReadingReminder => "reading_reminder",
    /// Notices of works and outages for one's points ("Obvestila").
    Notice => "notice",
});

stored_as!(NoticeArea {
    Everyone => "everyone",
    Settlement => "settlement",
    Street => "street",
    /// The points the notice lists.
    Points => "points",
});
