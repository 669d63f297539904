//! The `equally-server` command: serve the sync API, set up the
//! organisation, invite people, and the data-protection admin tasks.

use clap::{Parser, Subcommand};
use equally_rules::ids::PersonId;
use equally_rules::people::PersonKind;
use equally_rules::time::{SystemTime, TimeSource};
use equally_server::admin::{self, Invitee, IssuedInvite};
use equally_server::{AppState, ServerConfig, storage};
use std::net::SocketAddr;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "equally-server", version, about = "Equally's sync server")]
struct Cli {
    /// `sqlite:PATH` (the default, an embedded database file) or
    /// `postgres://user:password@host/db`.
    #[arg(
        long,
        global = true,
        env = "EQUALLY_DATABASE_URL",
        default_value = "sqlite:equally-server.db"
    )]
    database_url: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the sync API.
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Behind a load balancer that sets X-Forwarded-For: use it for the
        /// per-address limit on invite redemption.
        #[arg(long)]
        trust_forwarded_for: bool,
    },
    /// Create the organisation and its first member of staff, and print
    /// their invite code.
    Init {
        #[arg(long)]
        org_name: String,
        #[arg(long, default_value = "First staff member")]
        staff_name: String,
    },
    /// Invite someone new (--name and --kind) or set up another device for
    /// someone already here (--person).
    Invite {
        /// The member of staff making the invite.
        #[arg(long)]
        by: String,
        #[arg(long)]
        name: Option<String>,
        /// supported_person, staff, carer, volunteer or partner.
        #[arg(long)]
        kind: Option<String>,
        #[arg(long)]
        person: Option<String>,
        #[arg(long, default_value_t = 7)]
        days: i64,
    },
    /// Data-protection and device tasks.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Everything held about a person, as JSON on standard output.
    Export {
        #[arg(long)]
        person: String,
    },
    /// Erase a person, keeping everyone else's records whole (see the README).
    Erase {
        #[arg(long)]
        person: String,
    },
    /// Sign a device out for good: its token stops working at once.
    RevokeDevice {
        #[arg(long)]
        device: String,
    },
    /// Drop tombstones older than the window; phones that have not synced
    /// since then start again. Run daily (see the README).
    Compact {
        #[arg(long, default_value_t = admin::DEFAULT_TOMBSTONE_DAYS)]
        tombstone_days: u32,
    },
}

fn parse_kind(text: &str) -> Result<PersonKind, String> {
    serde_json::from_value(serde_json::Value::String(text.to_string())).map_err(|_| {
        format!("“{text}” is not one of supported_person, staff, carer, volunteer, partner")
    })
}

fn print_invite(invite: &IssuedInvite) {
    println!("person:  {}", invite.person_id);
    println!("code:    {}", invite.code);
    println!(
        "expires: {}",
        equally_rules::time::Timestamp(invite.expires_at_ms).to_jiff()
    );
    match qrcode::QrCode::new(invite.code.as_bytes()) {
        Ok(qr) => {
            let picture = qr
                .render::<qrcode::render::unicode::Dense1x2>()
                .dark_color(qrcode::render::unicode::Dense1x2::Light)
                .light_color(qrcode::render::unicode::Dense1x2::Dark)
                .quiet_zone(true)
                .build();
            println!("{picture}");
        }
        Err(_) => println!("(the code could not be drawn as a QR code)"),
    }
}

fn run(cli: Cli) -> Result<(), String> {
    let now = SystemTime.now().millis();
    let open = || storage::open(&cli.database_url).map_err(|e| e.to_string());
    match cli.command {
        Command::Serve {
            listen,
            trust_forwarded_for,
        } => {
            let storage = open()?;
            let config = ServerConfig {
                trust_forwarded_for,
                ..ServerConfig::default()
            };
            // Kept here so the database is closed after the runtime stops.
            let keep = storage.clone();
            let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
            let served = runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind(listen)
                    .await
                    .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
                tracing::info!(address = %listen, backend = storage.backend(), "serving");
                let shutdown = async {
                    stop_signal().await;
                    tracing::info!("shutting down");
                };
                equally_server::serve(listener, AppState::new(storage, config), shutdown)
                    .await
                    .map_err(|e| e.to_string())
            });
            drop(runtime);
            drop(keep);
            served
        }
        Command::Init {
            org_name,
            staff_name,
        } => {
            let setup =
                admin::init(&*open()?, &org_name, &staff_name, now).map_err(|e| e.to_string())?;
            println!("organisation: {}", setup.organisation_id);
            println!("First staff invite (single use):");
            print_invite(&setup.staff);
            Ok(())
        }
        Command::Invite {
            by,
            name,
            kind,
            person,
            days,
        } => {
            let by = PersonId::parse(&by).map_err(|e| e.to_string())?;
            let invitee = match (name, kind, person) {
                (Some(name), Some(kind), None) => Invitee::New {
                    name,
                    kind: parse_kind(&kind)?,
                },
                (None, None, Some(p)) => {
                    Invitee::Existing(PersonId::parse(&p).map_err(|e| e.to_string())?)
                }
                _ => return Err("give --name and --kind for someone new, or --person".into()),
            };
            let invite =
                admin::invite(&*open()?, &by, invitee, now, days).map_err(|e| e.to_string())?;
            print_invite(&invite);
            Ok(())
        }
        Command::Admin { command } => match command {
            AdminCommand::Export { person } => {
                let person = PersonId::parse(&person).map_err(|e| e.to_string())?;
                let doc = admin::export(&*open()?, &person, now).map_err(|e| e.to_string())?;
                println!(
                    "{}",
                    serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?
                );
                Ok(())
            }
            AdminCommand::Erase { person } => {
                let person = PersonId::parse(&person).map_err(|e| e.to_string())?;
                let report = admin::erase(&*open()?, &person, now).map_err(|e| e.to_string())?;
                println!(
                    "{}",
                    serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?
                );
                Ok(())
            }
            AdminCommand::Compact { tombstone_days } => {
                let report =
                    admin::compact(&*open()?, tombstone_days, now).map_err(|e| e.to_string())?;
                println!(
                    "{}",
                    serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?
                );
                Ok(())
            }
            AdminCommand::RevokeDevice { device } => {
                if admin::revoke_device(&*open()?, &device).map_err(|e| e.to_string())? {
                    println!("device {device} revoked");
                    Ok(())
                } else {
                    Err(format!("no device {device}"))
                }
            }
        },
    }
}

/// Ctrl-C, or SIGTERM from a service manager or container runtime.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("equally-server: {message}");
            ExitCode::FAILURE
        }
    }
}
