#!/bin/bash
# Creates the docflow topics that do not exist yet, with Kafka's own tool. Run by the chart's
# topics Job; configuration comes from its environment (BOOTSTRAP, SECURITY_PROTOCOL,
# SASL_MECHANISM, SASL_USERNAME, SASL_PASSWORD, CA_FILE, PARTITIONS, REPLICAS, and TOPICS as
# "name=retention_ms" pairs; KAFKA_TOPICS names the tool where it is not the image's).
set -euo pipefail

config=${TMPDIR:-/tmp}/client.properties
umask 077
echo "security.protocol=${SECURITY_PROTOCOL}" > "$config"
case "${SASL_MECHANISM:-}" in
  "") ;;
  PLAIN) module=org.apache.kafka.common.security.plain.PlainLoginModule ;;
  SCRAM-SHA-256|SCRAM-SHA-512) module=org.apache.kafka.common.security.scram.ScramLoginModule ;;
  *) echo "unsupported SASL mechanism ${SASL_MECHANISM}" >&2; exit 2 ;;
esac
if [ -n "${SASL_MECHANISM:-}" ]; then
  echo "sasl.mechanism=${SASL_MECHANISM}" >> "$config"
  echo "sasl.jaas.config=${module} required username=\"${SASL_USERNAME}\" password=\"${SASL_PASSWORD}\";" >> "$config"
fi
if [ -n "${CA_FILE:-}" ]; then
  echo "ssl.truststore.type=PEM" >> "$config"
  echo "ssl.truststore.location=${CA_FILE}" >> "$config"
fi

topics=("${KAFKA_TOPICS:-/opt/kafka/bin/kafka-topics.sh}" --bootstrap-server "$BOOTSTRAP" --command-config "$config")
# The broker may still be starting (the quickstart's starts with the release): wait, bounded.
attempts=${BROKER_ATTEMPTS:-60}
for attempt in $(seq 1 "$attempts"); do
  if "${topics[@]}" --list > /dev/null 2>&1; then break; fi
  if [ "$attempt" = "$attempts" ]; then echo "no broker answered at $BOOTSTRAP" >&2; exit 1; fi
  sleep 5
done
for pair in $TOPICS; do
  name=${pair%%=*}
  retention=${pair#*=}
  "${topics[@]}" --create --if-not-exists --topic "$name" --partitions "$PARTITIONS" \
    --replication-factor "$REPLICAS" --config "retention.ms=$retention"
done
echo "topics ready"
