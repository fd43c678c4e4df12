//! Structure-aware index loading: the input is an index's payload, given its header (length
//! and checksum) here, so every mutation of a real index (the seeds) reaches the payload
//! decoder instead of stopping at the checksum.
#![no_main]

use glossa::Index;
use glossa_fuzz::{check_loaded, with_header};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|payload: &[u8]| {
    if let Ok(index) = Index::from_bytes(&with_header(payload)) {
        check_loaded(&index);
    }
});
