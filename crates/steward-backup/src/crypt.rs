//! Encryption at rest with age (X25519 recipients): dump files are encrypted right after
//! pg_dump writes them; verify decrypts into a private temporary directory to restore.

use crate::BackupError;
use std::io::{BufReader, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// Parses `age1…` public keys.
pub fn parse_recipients(texts: &[String]) -> Result<Vec<age::x25519::Recipient>, BackupError> {
    texts
        .iter()
        .map(|t| {
            t.trim().parse().map_err(|e| {
                BackupError::Invalid(format!(
                    "--encrypt-to: `{t}` is not an age public key (age1…): {e}"
                ))
            })
        })
        .collect()
}

fn private_file(path: &Path) -> Result<std::fs::File, BackupError> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| BackupError::io(path, e))
}

/// Replaces `path` by `path.age`, encrypted to `recipients`.
pub fn encrypt_in_place(
    path: &Path,
    recipients: &[age::x25519::Recipient],
) -> Result<(), BackupError> {
    let target = PathBuf::from(format!("{}.age", path.display()));
    let encryptor =
        age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))
            .map_err(|e| BackupError::Invalid(format!("encryption: {e}")))?;
    let out = private_file(&target)?;
    let mut writer = encryptor
        .wrap_output(out)
        .map_err(|e| BackupError::io(&target, e))?;
    let mut input = std::fs::File::open(path).map_err(|e| BackupError::io(path, e))?;
    std::io::copy(&mut input, &mut writer).map_err(|e| BackupError::io(&target, e))?;
    writer
        .finish()
        .and_then(|mut f| f.flush().map(|_| f))
        .map_err(|e| BackupError::io(&target, e))?;
    std::fs::remove_file(path).map_err(|e| BackupError::io(path, e))
}

/// Reads an age identity file (`AGE-SECRET-KEY-1…` lines). The key never leaves memory.
pub fn load_identities(
    file: &Path,
) -> Result<Vec<Box<dyn age::Identity + Send + Sync>>, BackupError> {
    let f = std::fs::File::open(file).map_err(|e| BackupError::io(file, e))?;
    age::IdentityFile::from_buffer(BufReader::new(f))
        .map_err(|e| BackupError::io(file, e))?
        .into_identities()
        .map_err(|e| {
            BackupError::Invalid(format!("{}: not an age identity file: {e}", file.display()))
        })
}

/// Decrypts `src` (`….age`) into `dst`.
pub fn decrypt_to(
    src: &Path,
    dst: &Path,
    identities: &[Box<dyn age::Identity + Send + Sync>],
) -> Result<(), BackupError> {
    let input = std::fs::File::open(src).map_err(|e| BackupError::io(src, e))?;
    let decryptor = age::Decryptor::new(BufReader::new(input))
        .map_err(|e| BackupError::Invalid(format!("{}: not an age file: {e}", src.display())))?;
    let mut reader = decryptor
        .decrypt(identities.iter().map(|i| i.as_ref() as &dyn age::Identity))
        .map_err(|e| {
            BackupError::Invalid(format!(
                "{}: cannot decrypt with the given identity: {e}",
                src.display()
            ))
        })?;
    let mut out = private_file(dst)?;
    std::io::copy(&mut reader, &mut out).map_err(|e| BackupError::io(dst, e))?;
    Ok(())
}
