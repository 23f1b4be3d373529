//! The command line: the commands and what each takes (flags and their environment variables).

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::args::DbArgs;

#[derive(Parser)]
#[command(name = "senim", version, about = "Lists of trusted high-risk AI systems (Rules, Order No. 196/НҚ)")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Serve the web UI and the API.
    #[cfg(feature = "serve")]
    Serve(crate::serve::ServeArgs),
    /// Fill a body's List with N realistic included applications and publish an edition (for
    /// benchmarks and demos of scale).
    Seed {
        #[command(flatten)]
        db: DbArgs,
        /// The body, e.g. `health`.
        #[arg(long)]
        body: String,
        /// How many entries to add.
        #[arg(long)]
        entries: usize,
    },
    /// Write a consistent backup of the whole database (records, files, editions, keys, audit log)
    /// to FILE while the server runs.
    Backup {
        #[command(flatten)]
        db: DbArgs,
        /// Where to write the backup (gzip-compressed JSON lines); written to FILE.partial, then renamed.
        file: PathBuf,
    },
    /// Restore a backup into a new, empty database (SQLite or PostgreSQL) at the same schema version.
    Restore {
        #[command(flatten)]
        db: DbArgs,
        /// The backup made by `senim backup`.
        file: PathBuf,
    },
    /// Create or update the database schema.
    Migrate {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Accounts and tokens.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// The working-day calendar of the Rules' deadlines.
    Calendar {
        #[command(subcommand)]
        command: CalendarCommand,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Check downloaded edition files (artifacts, manifests, N.json) against the published keys;
    /// no database needed. Exit 0: all authentic; 1: any not.
    Verify(crate::verify::VerifyArgs),
}

#[derive(Subcommand)]
pub enum AdminCommand {
    /// Create a user; the password is read from standard input.
    CreateUser {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        email: String,
        /// applicant, reviewer, publisher, body_admin, admin or observer.
        #[arg(long)]
        role: String,
        /// The body's code; required for reviewer, publisher and body_admin.
        #[arg(long)]
        body: Option<String>,
        #[arg(long)]
        name: Option<String>,
        /// Read the password from standard input (the only way: never on the command line).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Create an API token for a user; prints it as the last line.
    CreateToken {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        email: String,
    },
}

#[derive(Subcommand)]
pub enum CalendarCommand {
    /// Print the due date of a period of working days (last line: YYYY-MM-DD).
    Due {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        received: String,
        #[arg(long)]
        working_days: u16,
    },
    /// Replace a year's calendar with an administrator's TOML file (same format as the shipped
    /// `crates/senim-domain/calendar/YEAR.toml`); validated, stored, and recorded in the audit log.
    Set {
        #[command(flatten)]
        db: DbArgs,
        /// The year's TOML file.
        #[arg(long)]
        file: PathBuf,
        /// Who makes the change (recorded in the audit log).
        #[arg(long, default_value = "cli")]
        by: String,
    },
    /// List a year's non-working weekdays and worked weekend days, with their names.
    Show {
        #[command(flatten)]
        db: DbArgs,
        year: i16,
        #[arg(long, default_value = "kk")]
        lang: String,
    },
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check the audit log's hash chain; exit 1 naming the first broken record.
    Verify {
        #[command(flatten)]
        db: DbArgs,
    },
}
