// Mistakes in the macro's own arguments.
mod missing {
    openedx_hooks::include_catalog!("macros/catalogs/no-such-file.yaml");
}
mod no_path {
    openedx_hooks::include_catalog!(runtime_crate = "::openedx_hooks");
}
mod unknown_setting {
    openedx_hooks::include_catalog!("fixtures/valid/inspect.yaml", colour = "blue");
}
mod bad_selector {
    openedx_hooks::include_catalog!("fixtures/valid/inspect.yaml", type_attribute("learning.Nope", "#[non_exhaustive]"));
}
mod not_a_literal {
    openedx_hooks::include_catalog!(events);
}

fn main() {}
