//! The openedx-hooks runtime.
//!
//! What generated event code and plugins depend on at run time: signals,
//! event metadata, dispatch to receivers, test helpers and wire encoding. It
//! never depends on the compiler crates (`openedx-hooks-schema`,
//! `openedx-hooks-codegen`): applications link only this. The signal runtime
//! arrives with the code-generation issue.
