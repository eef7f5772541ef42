//! `.hex-migrate.yaml`: the project configuration.
