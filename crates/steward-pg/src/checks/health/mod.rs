//! Health: how the server is doing — cache, vacuum, bloat, wraparound, sequences, sessions,
//! replication, checkpoints, temporary files, settings.

mod bloat;
mod blocked_queries;
mod cache_hit_ratio;
mod checkpoint_pressure;
mod connection_saturation;
mod idle_in_transaction;
mod inactive_replication_slot;
mod index_bloat;
mod long_running_query;
mod replication_lag;
mod risky_setting;
mod sequence_exhaustion;
mod stats_extension_missing;
mod table_bloat;
mod temp_file_spill;
mod vacuum_overdue;
mod xid_wraparound;

use super::LiveCheck;

pub fn checks() -> Vec<&'static dyn LiveCheck> {
    vec![
        &blocked_queries::BlockedQueries,
        &cache_hit_ratio::CacheHitRatio,
        &checkpoint_pressure::CheckpointPressure,
        &connection_saturation::ConnectionSaturation,
        &idle_in_transaction::IdleInTransaction,
        &inactive_replication_slot::InactiveReplicationSlot,
        &index_bloat::IndexBloat,
        &long_running_query::LongRunningQuery,
        &replication_lag::ReplicationLag,
        &risky_setting::RiskySetting,
        &sequence_exhaustion::SequenceExhaustion,
        &stats_extension_missing::StatsExtensionMissing,
        &table_bloat::TableBloat,
        &temp_file_spill::TempFileSpill,
        &vacuum_overdue::VacuumOverdue,
        &xid_wraparound::XidWraparound,
    ]
}
