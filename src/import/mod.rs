//! Billing-file import (SPEC §5.1).
