//! The App Home tab: each user's own page of zlack.

/// Every button of the Home tab has an `action_id` starting with this.
pub const ACTION_PREFIX: &str = "home.";

/// The Home tab's buttons.
pub mod action {
    /// Opens the settings modal.
    pub const SETTINGS: &str = "home.settings";
    /// Connects Zoom (a link to the signed connect page).
    pub const CONNECT: &str = "home.connect";
    /// Disconnects Zoom, as `/zoom logout` does.
    pub const DISCONNECT: &str = "home.disconnect";
    /// Joins an upcoming meeting (a link).
    pub const JOIN: &str = "home.join";
}
