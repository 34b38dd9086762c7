# ACL policy of a baton gateway (Consul 1.8+ syntax; docs/consul.md).
# Reads what routing depends on: route policies and app specs in KV ...
key_prefix "baton/routes/" {
  policy = "read"
}
key_prefix "baton/apps/" {
  policy = "read"
}
# ... and the catalog and health of app instances (apps may have any name).
service_prefix "" {
  policy = "read"
}
node_prefix "" {
  policy = "read"
}
# Its own registration (service baton-gateway, ID = its gateway id) and health check.
service "baton-gateway" {
  policy = "write"
}
