pub mod app;
pub mod browse;
pub mod browser;
pub mod db;
pub mod hostile;
pub mod meetings;
pub mod oauth;
pub mod people;
pub mod process;
pub mod slash;

pub use app::TestApp;
