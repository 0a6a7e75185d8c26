{{/*
The environment of one service's container: only settings its settings class reads (the groups
in files/topology.yaml), then the service's own `env` values on top. Built as a map first, so a
variable appears once whoever sets it; secrets always come from Secrets.
Call with (dict "root" $ "name" "extract").
*/}}
{{- define "docflow.env" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
{{- $topology := include "docflow.topology" $root | fromYaml -}}
{{- $traits := get $topology.services .name -}}
{{- $env := dict -}}
{{- $_ := set $env "DOCFLOW_KAFKA_BOOTSTRAP" (dict "value" (include "docflow.kafkaBootstrap" $root)) -}}
{{- $_ := set $env "DOCFLOW_KAFKA_PROFILE" (dict "value" $v.kafka.profile) -}}
{{- $_ := set $env "DOCFLOW_KAFKA_SECURITY_PROTOCOL" (dict "value" $v.kafka.securityProtocol) -}}
{{- $_ := set $env "DOCFLOW_KAFKA_DELIVERY_TIMEOUT_SECONDS" (dict "value" (toString $v.kafka.deliveryTimeoutSeconds)) -}}
{{- if $v.kafka.saslMechanism -}}
{{- $auth := required "kafka.auth.existingSecret is required with kafka.saslMechanism" $v.kafka.auth.existingSecret -}}
{{- $_ := set $env "DOCFLOW_KAFKA_SASL_MECHANISM" (dict "value" $v.kafka.saslMechanism) -}}
{{- $_ := set $env "DOCFLOW_KAFKA_SASL_USERNAME" (dict "valueFrom" (dict "secretKeyRef" (dict "name" $auth "key" $v.kafka.auth.usernameKey))) -}}
{{- $_ := set $env "DOCFLOW_KAFKA_SASL_PASSWORD" (dict "valueFrom" (dict "secretKeyRef" (dict "name" $auth "key" $v.kafka.auth.passwordKey))) -}}
{{- end -}}
{{- if $v.kafka.auth.caKey -}}
{{- $_ := set $env "DOCFLOW_KAFKA_SSL_CA_LOCATION" (dict "value" "/etc/docflow/kafka/ca.crt") -}}
{{- end -}}
{{- if $v.kafka.properties -}}
{{- $_ := set $env "DOCFLOW_KAFKA_PROPERTIES" (dict "value" (toJson $v.kafka.properties)) -}}
{{- end -}}
{{- $_ := set $env "DOCFLOW_TOPIC_PREFIX" (dict "value" $v.topicPrefix) -}}
{{- $_ := set $env "DOCFLOW_LOG_LEVEL" (dict "value" $v.logLevel) -}}
{{- $_ := set $env "DOCFLOW_LOG_JSON" (dict "value" "true") -}}
{{- if $v.aws.region -}}
{{- $_ := set $env "AWS_REGION" (dict "value" $v.aws.region) -}}
{{- end -}}
{{- if $traits.blob -}}
{{- include "docflow.env.blob" (dict "root" $root "env" $env) -}}
{{- end -}}
{{- if ne $traits.kind "api" -}}
{{- $_ := set $env "DOCFLOW_HEALTH_PORT" (dict "value" (toString $v.health.port)) -}}
{{- end -}}
{{- if eq $traits.kind "stage" -}}
{{- $svc := get $v.services .name -}}
{{- $_ := set $env "DOCFLOW_SHUTDOWN_TIMEOUT_SECONDS" (dict "value" (toString $svc.shutdownTimeoutSeconds)) -}}
{{- end -}}
{{- if $traits.results -}}
{{- include "docflow.env.results" (dict "root" $root "env" $env) -}}
{{- end -}}
{{- if and $traits.pricing $v.prices -}}
{{- $_ := set $env "DOCFLOW_PRICES" (dict "value" (toJson $v.prices)) -}}
{{- end -}}
{{- if eq .name "ingest" -}}
{{- $_ := set $env "DOCFLOW_API_KEYS" (dict "valueFrom" (dict "secretKeyRef" (dict "name" (include "docflow.secretName" $root) "key" $v.secrets.apiKeysKey))) -}}
{{- $_ := set $env "DOCFLOW_INGEST_PORT" (dict "value" (toString $v.ingest.port)) -}}
{{- if $v.ingest.publicBaseUrl -}}
{{- $_ := set $env "DOCFLOW_PUBLIC_BASE_URL" (dict "value" $v.ingest.publicBaseUrl) -}}
{{- end -}}
{{- end -}}
{{- if $traits.webhook -}}
{{- $_ := set $env "DOCFLOW_WEBHOOK_SECRET" (dict "valueFrom" (dict "secretKeyRef" (dict "name" (include "docflow.secretName" $root) "key" $v.secrets.webhookSecretKey))) -}}
{{- end -}}
{{- if eq .name "extract" -}}
{{- include "docflow.env.extract" (dict "root" $root "env" $env) -}}
{{- end -}}
{{- if eq .name "enrich" -}}
{{- include "docflow.env.enrich" (dict "root" $root "env" $env) -}}
{{- end -}}
{{- range $name, $value := (get $v.services .name).env -}}
{{- $_ := set $env $name (dict "value" (toString $value)) -}}
{{- end -}}
{{- range $name := keys $env | sortAlpha }}
- name: {{ $name }}
{{ toYaml (get $env $name) | indent 2 }}
{{- end -}}
{{- end -}}

{{- define "docflow.env.blob" -}}
{{- $v := .root.Values -}}
{{- $env := .env -}}
{{- $_ := set $env "DOCFLOW_BLOB_URL" (dict "value" (include "docflow.blobUrl" .root)) -}}
{{- $endpoint := $v.blob.s3.endpointUrl -}}
{{- if and (not $endpoint) $v.quickstart.minio.enabled -}}
{{- $endpoint = printf "http://%s-minio:9000" (include "docflow.fullname" .root) -}}
{{- end -}}
{{- if $endpoint -}}
{{- $_ := set $env "DOCFLOW_BLOB_S3_ENDPOINT_URL" (dict "value" $endpoint) -}}
{{- end -}}
{{- if $v.blob.s3.region -}}
{{- $_ := set $env "DOCFLOW_BLOB_S3_REGION" (dict "value" $v.blob.s3.region) -}}
{{- end -}}
{{- if or $v.blob.s3.pathStyle $v.quickstart.minio.enabled -}}
{{- $_ := set $env "DOCFLOW_BLOB_S3_PATH_STYLE" (dict "value" "true") -}}
{{- end -}}
{{- $_ := set $env "DOCFLOW_BLOB_S3_SSE" (dict "value" $v.blob.s3.sse) -}}
{{- if $v.blob.s3.kmsKeyId -}}
{{- $_ := set $env "DOCFLOW_BLOB_S3_KMS_KEY_ID" (dict "value" $v.blob.s3.kmsKeyId) -}}
{{- end -}}
{{- $credentials := include "docflow.blobCredentialsSecret" .root -}}
{{- if $credentials -}}
{{- $_ := set $env "AWS_ACCESS_KEY_ID" (dict "valueFrom" (dict "secretKeyRef" (dict "name" $credentials "key" $v.blob.credentials.accessKeyIdKey))) -}}
{{- $_ := set $env "AWS_SECRET_ACCESS_KEY" (dict "valueFrom" (dict "secretKeyRef" (dict "name" $credentials "key" $v.blob.credentials.secretAccessKeyKey))) -}}
{{- end -}}
{{- end -}}

{{- define "docflow.env.results" -}}
{{- $v := .root.Values -}}
{{- $env := .env -}}
{{- if $v.store.url -}}
{{- $_ := set $env "DOCFLOW_STORE_URL" (dict "value" $v.store.url) -}}
{{- else -}}
{{- $_ := set $env "DOCFLOW_STORE_URL" (dict "valueFrom" (dict "secretKeyRef" (dict "name" (include "docflow.secretName" .root) "key" $v.secrets.storeUrlKey))) -}}
{{- end -}}
{{- $_ := set $env "DOCFLOW_STORE_POOL_MIN_SIZE" (dict "value" (toString $v.store.poolMinSize)) -}}
{{- $_ := set $env "DOCFLOW_STORE_POOL_MAX_SIZE" (dict "value" (toString $v.store.poolMaxSize)) -}}
{{- $_ := set $env "DOCFLOW_STORE_CONNECT_TIMEOUT_SECONDS" (dict "value" (toString $v.store.connectTimeoutSeconds)) -}}
{{- $_ := set $env "DOCFLOW_STORE_POOL_TIMEOUT_SECONDS" (dict "value" (toString $v.store.poolTimeoutSeconds)) -}}
{{- end -}}

{{- define "docflow.env.extract" -}}
{{- $v := .root.Values -}}
{{- $env := .env -}}
{{- $_ := set $env "DOCFLOW_EXTRACT_BACKEND" (dict "value" $v.extract.backend) -}}
{{- if eq $v.extract.backend "textract" -}}
{{- with $v.extract.textract.region -}}
{{- $_ := set $env "DOCFLOW_TEXTRACT_REGION" (dict "value" .) -}}
{{- end -}}
{{- with $v.extract.textract.stagingBucket -}}
{{- $_ := set $env "DOCFLOW_TEXTRACT_STAGING_BUCKET" (dict "value" .) -}}
{{- end -}}
{{- $_ := set $env "DOCFLOW_TEXTRACT_FEATURE_TYPES" (dict "value" (toJson $v.extract.textract.featureTypes)) -}}
{{- end -}}
{{- end -}}

{{- define "docflow.env.enrich" -}}
{{- $v := .root.Values -}}
{{- $env := .env -}}
{{- $_ := set $env "DOCFLOW_ENRICH_BACKEND" (dict "value" $v.enrich.backend) -}}
{{- if eq $v.enrich.backend "bedrock" -}}
{{- $_ := set $env "DOCFLOW_ENRICH_BEDROCK_MODEL_ID" (dict "value" $v.enrich.bedrock.modelId) -}}
{{- with $v.enrich.bedrock.region -}}
{{- $_ := set $env "DOCFLOW_ENRICH_BEDROCK_REGION" (dict "value" .) -}}
{{- end -}}
{{- end -}}
{{- if eq $v.enrich.backend "openai" -}}
{{- $_ := set $env "DOCFLOW_ENRICH_OPENAI_BASE_URL" (dict "value" (required "enrich.openai.baseUrl is required with the openai backend" $v.enrich.openai.baseUrl)) -}}
{{- $_ := set $env "DOCFLOW_ENRICH_OPENAI_MODEL" (dict "value" (required "enrich.openai.model is required with the openai backend" $v.enrich.openai.model)) -}}
{{- if $v.enrich.openai.apiKeyFromSecret -}}
{{- $_ := set $env "DOCFLOW_ENRICH_OPENAI_API_KEY" (dict "valueFrom" (dict "secretKeyRef" (dict "name" (include "docflow.secretName" .root) "key" $v.secrets.openaiApiKeyKey))) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* What docflow-migrate reads (ResultsSettings). */}}
{{- define "docflow.env.migrate" -}}
{{- $env := dict -}}
{{- include "docflow.env.results" (dict "root" . "env" $env) -}}
{{- range $name := keys $env | sortAlpha }}
- name: {{ $name }}
{{ toYaml (get $env $name) | indent 2 }}
{{- end -}}
{{- end -}}
