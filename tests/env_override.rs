//! `NUMKERN_BACKEND`, in a test binary of its own: the one test here mutates
//! the process environment, which must not race other tests' reads.

use numkern::{Backend, Error};

/// A backend that is not compiled for this architecture.
fn foreign_backend() -> Backend {
    if cfg!(target_arch = "aarch64") {
        Backend::Avx2
    } else {
        Backend::Neon
    }
}

#[test]
fn backend_override() {
    const VAR: &str = "NUMKERN_BACKEND";

    // CI runs the whole suite with NUMKERN_BACKEND set (e.g. `scalar`): then
    // check that it took effect, and leave the environment alone.
    if let Ok(v) = std::env::var(VAR) {
        if !v.trim().is_empty() {
            match v.parse::<Backend>() {
                Ok(want) if numkern::Kernels::new(want).is_ok() => {
                    assert_eq!(numkern::backend_override(), Ok(Some(want)));
                    assert_eq!(numkern::backend(), want, "{VAR}={v:?} must select {want}");
                    assert_eq!(numkern::Kernels::detected().backend(), want);
                }
                // A bad value is reported and ignored: the free functions
                // still run on a backend that works here.
                bad => {
                    let e = numkern::backend_override().unwrap_err();
                    match bad {
                        Ok(b) => assert_eq!(e, Error::Unsupported { backend: b }),
                        Err(_) => assert_eq!(e, Error::UnknownBackend),
                    }
                    let chosen = numkern::backend();
                    assert!(numkern::Kernels::available().any(|b| b == chosen));
                }
            }
            return;
        }
    }

    std::env::remove_var(VAR);
    assert_eq!(numkern::backend_override(), Ok(None));

    std::env::set_var(VAR, "");
    assert_eq!(numkern::backend_override(), Ok(None), "empty means unset");
    std::env::set_var(VAR, "   ");
    assert_eq!(numkern::backend_override(), Ok(None), "blank means unset");

    std::env::set_var(VAR, "scalar");
    assert_eq!(numkern::backend_override(), Ok(Some(Backend::Scalar)));
    std::env::set_var(VAR, "SCALAR ");
    assert_eq!(numkern::backend_override(), Ok(Some(Backend::Scalar)));
    std::env::set_var(VAR, "Portable");
    assert_eq!(numkern::backend_override(), Ok(Some(Backend::Portable)));

    std::env::set_var(VAR, "bogus");
    assert_eq!(numkern::backend_override(), Err(Error::UnknownBackend));

    let foreign = foreign_backend();
    std::env::set_var(VAR, foreign.name());
    assert_eq!(
        numkern::backend_override(),
        Err(Error::Unsupported { backend: foreign })
    );

    std::env::remove_var(VAR);
    assert_eq!(numkern::backend_override(), Ok(None));
}
