//! Loading arbitrary bytes as an index: an error or an index, never a panic or a huge
//! allocation; whatever loads searches without panicking and saves to bytes that load.
#![no_main]

use glossa::Index;
use glossa_fuzz::check_loaded;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(index) = Index::from_bytes(data) {
        check_loaded(&index);
    }
});
