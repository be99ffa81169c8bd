// Every catalog error is reported, on the path, with its YAML location.
openedx_hooks::include_catalog!("macros/catalogs/broken.yaml");

fn main() {}
