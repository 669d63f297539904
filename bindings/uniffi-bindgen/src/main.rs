//! uniffi's own command line, built from the same uniffi version as the
//! library so the metadata it reads always matches. See
//! scripts/build-bindings.sh for how it is run (library mode).

fn main() {
    uniffi::uniffi_bindgen_main()
}
