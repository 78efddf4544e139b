pub mod app;
pub mod db;
pub mod process;

pub use app::TestApp;
