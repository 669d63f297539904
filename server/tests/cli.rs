//! The `equally-server` command as the digital team uses it: init prints a
//! code and a QR code, invites work, export and revoke-device act on the
//! same database a running server uses, and `serve` answers on loopback.

mod common;

use common::*;
use std::process::{Command, Stdio};

fn cli(url: &str, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_equally-server"))
        .arg("--database-url")
        .arg(url)
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the command runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn field<'a>(text: &'a str, label: &str) -> &'a str {
    text.lines()
        .find_map(|l| l.strip_prefix(label))
        .map(str::trim)
        .unwrap_or_else(|| panic!("no {label} in {text}"))
}

async fn the_admin_commands_work_end_to_end(backend: Backend) {
    let url = backend.url();
    let (ok, out, err) = blocking(|| {
        cli(
            &url,
            &[
                "init",
                "--org-name",
                "Riverside Mind",
                "--staff-name",
                "Sam",
            ],
        )
    });
    assert!(ok, "{err}");
    let staff = field(&out, "person:").to_string();
    let code = field(&out, "code:").to_string();
    assert!(
        out.contains('█') || out.contains('▀'),
        "a QR code is drawn: {out}"
    );
    let (ok, _, err) = blocking(|| cli(&url, &["init", "--org-name", "Again"]));
    assert!(!ok && err.contains("already set up"), "{err}");

    let (ok, out, err) = blocking(|| {
        cli(
            &url,
            &[
                "invite",
                "--by",
                &staff,
                "--name",
                "Aisha",
                "--kind",
                "supported_person",
            ],
        )
    });
    assert!(ok, "{err}");
    let aisha = field(&out, "person:").to_string();
    let (ok, _, err) = blocking(|| {
        cli(
            &url,
            &["invite", "--by", &aisha, "--name", "Bob", "--kind", "carer"],
        )
    });
    assert!(!ok && err.contains("only staff"), "{err}");
    let (ok, _, err) = blocking(|| {
        cli(
            &url,
            &[
                "invite", "--by", &staff, "--name", "Bob", "--kind", "wizard",
            ],
        )
    });
    assert!(!ok && err.contains("is not one of"), "{err}");

    // A server on the same database redeems the code printed by init.
    let server = TestServer::start_on(&url, roomy()).await;
    let resp = common::client::Client::new()
        .post(format!("{}/v1/invites/redeem", server.base))
        .json(&serde_json::json!({"code": code}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let device: serde_json::Value = resp.json().await.unwrap();
    let device_id = device["device_id"].as_str().unwrap().to_string();

    let (ok, out, err) = blocking(|| cli(&url, &["admin", "export", "--person", &staff]));
    assert!(ok, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).expect("the export is JSON");
    assert_eq!(doc["person"]["name"], "Sam");
    assert_eq!(doc["devices"][0]["id"], device_id.as_str());

    let (ok, out, err) =
        blocking(|| cli(&url, &["admin", "revoke-device", "--device", &device_id]));
    assert!(ok && out.contains("revoked"), "{err}");
    let pull = common::client::Client::new()
        .post(format!("{}/v1/pull", server.base))
        .bearer_auth(device["token"].as_str().unwrap())
        .json(&serde_json::json!({"scope": {"tier": "organisation"}, "after": 0, "limit": 10}))
        .send()
        .await
        .unwrap();
    assert_eq!(pull.status(), 401);

    let (ok, out, err) = blocking(|| cli(&url, &["admin", "erase", "--person", &aisha]));
    assert!(ok && out.contains("blanked"), "{err}");
    drop(server);
    drop(backend);
}
on_both_storages!(the_admin_commands_work_end_to_end);

#[test]
fn serve_runs_with_one_command_and_stops_on_a_signal() {
    let dir = tempfile::tempdir().unwrap();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_equally-server"))
        .current_dir(dir.path())
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut healthy = false;
    for _ in 0..100 {
        std::thread::sleep(std::time::Duration::from_millis(50));
        if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            use std::io::{Read, Write};
            let _ = s.write_all(b"GET /v1/health HTTP/1.0\r\nHost: x\r\n\r\n");
            let mut reply = String::new();
            let _ = s.read_to_string(&mut reply);
            healthy = reply.contains("\"status\":\"ok\"");
            break;
        }
    }
    // SIGTERM, as a service manager would send.
    let _ = Command::new("kill").arg(child.id().to_string()).status();
    let status = child.wait().unwrap();
    assert!(healthy, "the server answered its health check");
    assert!(status.success(), "it stopped cleanly: {status}");
    assert!(
        dir.path().join("equally-server.db").exists(),
        "the default database is a file here"
    );
}
