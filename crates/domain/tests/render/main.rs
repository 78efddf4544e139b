//! Rendered messages: snapshots, Slack's block model, escaping and limits.

mod catalog;
mod command;
mod landing;
mod limits;
mod notices;
mod phone;
mod privacy;
mod safety;
mod schedule;
mod slack_model;
mod snapshots;
mod unfurls;
mod views;
