{{/* Names and labels. */}}
{{- define "docflow.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "docflow.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "docflow.selectorLabels" -}}
app.kubernetes.io/name: {{ include "docflow.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Labels of an object; call with (dict "root" $ "component" "extract"). */}}
{{- define "docflow.labels" -}}
{{ include "docflow.selectorLabels" . }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: docflow
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* The pipeline's topology (files/topology.yaml): stages, their topics, settings groups. */}}
{{- define "docflow.topology" -}}
{{- .Files.Get "files/topology.yaml" -}}
{{- end -}}

{{/* Every topic name as deployed: the flow topics and one dead-letter topic per stage. */}}
{{- define "docflow.topics" -}}
{{- $topology := include "docflow.topology" . | fromYaml -}}
{{- $topics := list -}}
{{- range $topology.flowTopics -}}
{{- $topics = append $topics (dict "name" (printf "%s%s" $.Values.topicPrefix .) "retentionHours" $.Values.topics.retentionHours) -}}
{{- end -}}
{{- range $stage := keys $topology.stages | sortAlpha -}}
{{- $dlq := printf "%s%s%s" $.Values.topicPrefix $topology.deadLetterPrefix $stage -}}
{{- $topics = append $topics (dict "name" $dlq "retentionHours" $.Values.topics.deadLetterRetentionHours) -}}
{{- end -}}
{{- toYaml (dict "topics" $topics) -}}
{{- end -}}

{{- define "docflow.image" -}}
{{- $root := .root -}}
{{- $repo := printf "%s/%s%s" $root.Values.image.registry $root.Values.image.repositoryPrefix .service -}}
{{- $digest := get $root.Values.image.digests .service -}}
{{- if $digest -}}
{{- printf "%s@%s" $repo $digest -}}
{{- else -}}
{{- printf "%s:%s" $repo (default $root.Chart.AppVersion $root.Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{- define "docflow.kafkaBootstrap" -}}
{{- if .Values.quickstart.kafka.enabled -}}
{{- printf "%s-kafka:9092" (include "docflow.fullname" .) -}}
{{- else -}}
{{- required "kafka.bootstrap is required (or quickstart.kafka.enabled)" .Values.kafka.bootstrap -}}
{{- end -}}
{{- end -}}

{{- define "docflow.kafkaTls" -}}
{{- if has .Values.kafka.securityProtocol (list "SSL" "SASL_SSL") }}true{{ end -}}
{{- end -}}

{{- define "docflow.kafkaAuthEnabled" -}}
{{- if or .Values.kafka.saslMechanism (include "docflow.kafkaTls" .) }}true{{ end -}}
{{- end -}}

{{/* The Secret the services read their API keys, webhook secret and store url from. */}}
{{- define "docflow.secretName" -}}
{{- if .Values.secrets.existingSecret -}}
{{- .Values.secrets.existingSecret -}}
{{- else if .Values.secrets.generate -}}
{{- include "docflow.fullname" . -}}
{{- else -}}
{{- fail "secrets.existingSecret must name a Secret (or set secrets.generate for an evaluation)" -}}
{{- end -}}
{{- end -}}

{{- define "docflow.blobCredentialsSecret" -}}
{{- if .Values.blob.credentials.existingSecret -}}
{{- .Values.blob.credentials.existingSecret -}}
{{- else if .Values.quickstart.minio.enabled -}}
{{- include "docflow.fullname" . -}}
{{- end -}}
{{- end -}}

{{- define "docflow.blobUrl" -}}
{{- if .Values.blob.url -}}
{{- .Values.blob.url -}}
{{- else if .Values.quickstart.minio.enabled -}}
{{- printf "s3://%s/documents" .Values.quickstart.minio.bucket -}}
{{- else -}}
{{- fail "blob.url is required: s3://bucket/prefix (or quickstart.minio.enabled)" -}}
{{- end -}}
{{- end -}}

{{/* Seconds a service needs to stop: its shutdown timeout, or what the values give it. */}}
{{- define "docflow.gracePeriod" -}}
{{- $svc := get .root.Values.services .name -}}
{{- if hasKey $svc "shutdownTimeoutSeconds" -}}
{{- add (int (ceil $svc.shutdownTimeoutSeconds)) .root.Values.gracePeriodMarginSeconds -}}
{{- else -}}
{{- $svc.terminationGracePeriodSeconds -}}
{{- end -}}
{{- end -}}

{{- define "docflow.serviceAccountName" -}}
{{- printf "%s-%s" (include "docflow.fullname" .root) .name -}}
{{- end -}}
