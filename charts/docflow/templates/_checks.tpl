{{/*
Combinations the schema cannot refuse, because they relate two values: refused at render time.
*/}}
{{- define "docflow.checks" -}}
{{- $topology := include "docflow.topology" . | fromYaml -}}
{{- range $stage := keys $topology.stages | sortAlpha -}}
{{- $svc := get $.Values.services $stage -}}
{{- if gt (int $svc.scaling.maxReplicaCount) (int $.Values.topics.partitions) -}}
{{- fail (printf "services.%s.scaling.maxReplicaCount (%v) exceeds topics.partitions (%v): replicas beyond the partition count would sit idle" $stage $svc.scaling.maxReplicaCount $.Values.topics.partitions) -}}
{{- end -}}
{{- if gt (int $svc.scaling.minReplicaCount) (int $svc.scaling.maxReplicaCount) -}}
{{- fail (printf "services.%s.scaling.minReplicaCount exceeds its maxReplicaCount" $stage) -}}
{{- end -}}
{{- if and (not $.Values.keda.enabled) (gt (int $svc.replicas) (int $.Values.topics.partitions)) -}}
{{- fail (printf "services.%s.replicas (%v) exceeds topics.partitions (%v)" $stage $svc.replicas $.Values.topics.partitions) -}}
{{- end -}}
{{- end -}}
{{- if and .Values.kafka.saslMechanism (not .Values.kafka.auth.existingSecret) -}}
{{- fail "kafka.saslMechanism needs kafka.auth.existingSecret (the Secret with the SASL credentials)" -}}
{{- end -}}
{{- if and .Values.topics.strimzi.enabled .Values.topics.job.enabled -}}
{{- fail "choose one of topics.strimzi.enabled and topics.job.enabled" -}}
{{- end -}}
{{- if and .Values.topics.strimzi.enabled (not .Values.topics.strimzi.cluster) -}}
{{- fail "topics.strimzi.cluster must name the Strimzi Kafka cluster" -}}
{{- end -}}
{{- if and (eq .Values.migrations.mode "hook") .Values.secrets.generate (not .Values.store.url) -}}
{{- fail "migrations.mode=hook runs before the release's own resources: the store url must come from store.url or secrets.existingSecret, not a generated Secret (use migrations.mode=initContainer)" -}}
{{- end -}}
{{- if and .Values.quickstart.postgresql.enabled (not .Values.secrets.generate) -}}
{{- fail "quickstart.postgresql.enabled needs secrets.generate (its password and store url are generated)" -}}
{{- end -}}
{{- if and .Values.quickstart.minio.enabled (not .Values.secrets.generate) -}}
{{- fail "quickstart.minio.enabled needs secrets.generate (its credentials are generated)" -}}
{{- end -}}
{{- end -}}
