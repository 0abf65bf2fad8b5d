//! conv-api: call external HTTP APIs from declarative definitions.
