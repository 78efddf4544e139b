//! zlack's integration tests: one binary, run once per database backend
//! (`ZLACK_TEST_DATABASE=sqlite|postgres`, see `scripts/test.sh`).

mod helpers;

mod cli;
mod doctor;
mod hostile_clients;
mod hostile_requests;
mod inbound;
mod inbound_refusals;
mod keys_at_rest;
mod lifecycle;
mod manifest;
mod ops;
mod organization;
mod organization_admin;
mod organization_confirm;
mod organization_switch;
mod pages;
mod phone;
mod privacy;
mod processes;
mod query_plans;
mod reconcile;
mod schema_parity;
mod server_to_server;
mod sign_in;
mod slack_install;
mod socket_mode;
mod store_enums;
mod store_jobs;
mod store_purge;
mod store_suite;
mod takeover;
mod unfurls;
mod uninstall;
mod vault_at_rest;
mod whiteboard_details;
mod worker;
mod worker_fairness;
mod worker_leases;
mod zoom_cards;
mod zoom_command;
mod zoom_edges;
mod zoom_recovery;
mod zoom_tokens;
mod zoom_websocket;
