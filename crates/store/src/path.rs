//! Where the database lives when the user does not say.

use std::ffi::OsString;
use std::path::PathBuf;

use crate::StoreError;

/// `$XDG_DATA_HOME/remit/remit.db`, else `~/.local/share/remit/remit.db`.
pub fn default_path() -> Result<PathBuf, StoreError> {
    Ok(data_dir()?.join("remit.db"))
}

/// [`default_path`] from explicit values of `XDG_DATA_HOME` and `HOME` (testable without
/// touching the environment).
pub fn default_path_from(
    xdg_data_home: Option<OsString>,
    home: Option<OsString>,
) -> Result<PathBuf, StoreError> {
    Ok(data_dir_from(xdg_data_home, home)?.join("remit.db"))
}

/// The folder where Remit keeps its files (the store, the imported agency directory):
/// `$XDG_DATA_HOME/remit`, else `~/.local/share/remit`. The workspace's one data-directory
/// function.
pub fn data_dir() -> Result<PathBuf, StoreError> {
    data_dir_from(
        std::env::var_os("XDG_DATA_HOME"),
        std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE")),
    )
}

/// [`data_dir`] from explicit values of `XDG_DATA_HOME` and `HOME`. An empty or relative
/// `XDG_DATA_HOME` is ignored, as the XDG specification says.
pub fn data_dir_from(
    xdg_data_home: Option<OsString>,
    home: Option<OsString>,
) -> Result<PathBuf, StoreError> {
    let data = match xdg_data_home.map(PathBuf::from) {
        Some(path) if path.is_absolute() => path,
        _ => match home.filter(|home| !home.is_empty()) {
            Some(home) => PathBuf::from(home).join(".local").join("share"),
            None => return Err(StoreError::NoDataDirectory),
        },
    };
    Ok(data.join("remit"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefers_xdg_data_home() {
        let path = default_path_from(Some("/data".into()), Some("/home/a".into())).unwrap();
        assert_eq!(path, PathBuf::from("/data/remit/remit.db"));
    }

    #[test]
    fn falls_back_to_home_when_xdg_is_unset_or_relative() {
        let expected = PathBuf::from("/home/a/.local/share/remit/remit.db");
        assert_eq!(
            default_path_from(None, Some("/home/a".into())).unwrap(),
            expected
        );
        assert_eq!(
            default_path_from(Some("relative".into()), Some("/home/a".into())).unwrap(),
            expected
        );
        assert_eq!(
            default_path_from(Some("".into()), Some("/home/a".into())).unwrap(),
            expected
        );
    }

    #[test]
    fn fails_without_any_home() {
        assert!(matches!(
            default_path_from(None, None),
            Err(StoreError::NoDataDirectory)
        ));
    }
}
