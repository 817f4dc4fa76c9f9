# FerretDB v1.24.2, internal/backends/sqlite/metadata/metadata.go: look documents up by _id with the
# expression the _id index is built on (see ferretdb_overlay in scripts/install-services.sh).
s|IDColumn = DefaultColumn + "->'\$\._id'"|IDColumn = DefaultColumn + "->'_id'"|
