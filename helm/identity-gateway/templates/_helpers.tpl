{{/*
Names
*/}}

{{/* Chart name, overridable with nameOverride. */}}
{{- define "identity-gateway.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Fully qualified app name: <release>-<chart>, or the release name alone when it already contains the
chart name. Truncated to 63 characters (DNS-1123 label). Derived names add a suffix of at most 16
characters, so the base is cut to 47 for them (see identity-gateway.fullnameBase).
*/}}
{{- define "identity-gateway.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Base for names with a suffix ("-admin", "-migrate", "-wildcard-tls"): leaves room for it. */}}
{{- define "identity-gateway.fullnameBase" -}}
{{- include "identity-gateway.fullname" . | trunc 47 | trimSuffix "-" -}}
{{- end -}}

{{- define "identity-gateway.adminServiceName" -}}
{{- printf "%s-admin" (include "identity-gateway.fullnameBase" .) -}}
{{- end -}}

{{- define "identity-gateway.migrateName" -}}
{{- printf "%s-migrate" (include "identity-gateway.fullnameBase" .) -}}
{{- end -}}

{{/* Chart label value: name-version, "+" is not allowed in label values. */}}
{{- define "identity-gateway.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Labels
*/}}

{{/* Selector labels shared by every pod of the release (gateway and migration pods). */}}
{{- define "identity-gateway.selectorLabels" -}}
app.kubernetes.io/name: {{ include "identity-gateway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Selector labels of the gateway pods only (Deployment, Services, PDB). */}}
{{- define "identity-gateway.gatewaySelectorLabels" -}}
{{ include "identity-gateway.selectorLabels" . }}
app.kubernetes.io/component: gateway
{{- end -}}

{{- define "identity-gateway.labels" -}}
helm.sh/chart: {{ include "identity-gateway.chart" . }}
{{ include "identity-gateway.selectorLabels" . }}
app.kubernetes.io/version: {{ include "identity-gateway.imageTag" . | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: erp-identity
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/*
Image
*/}}

{{- define "identity-gateway.imageTag" -}}
{{- .Values.image.tag | default .Chart.AppVersion | toString -}}
{{- end -}}

{{- define "identity-gateway.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (include "identity-gateway.imageTag" .) -}}
{{- end -}}
{{- end -}}

{{/*
ServiceAccount
*/}}

{{- define "identity-gateway.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "identity-gateway.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/*
Secrets
*/}}

{{/* Name of the Secret the pods read: the user's existingSecret, or the one this chart creates. */}}
{{- define "identity-gateway.secretName" -}}
{{- if .Values.secrets.existingSecret -}}
{{- .Values.secrets.existingSecret -}}
{{- else -}}
{{- include "identity-gateway.fullname" . -}}
{{- end -}}
{{- end -}}

{{/*
The Secret the migration hook reads. A chart-created Secret is an ordinary release resource and does
not exist yet when a pre-install hook runs, so the hook gets its own copy (secret-migrate.yaml).
*/}}
{{- define "identity-gateway.migrateSecretName" -}}
{{- if .Values.secrets.existingSecret -}}
{{- .Values.secrets.existingSecret -}}
{{- else -}}
{{- include "identity-gateway.migrateName" . -}}
{{- end -}}
{{- end -}}

{{/*
Validates the values of a chart-created Secret (nothing to check for an existingSecret: the chart
cannot see it). Fails the render with a message naming every problem.
*/}}
{{- define "identity-gateway.validateSecretValues" -}}
{{- if not .Values.secrets.existingSecret -}}
{{- $v := .Values.secrets.values -}}
{{- $errors := list -}}
{{- if not $v.databaseUrl -}}
{{- $errors = append $errors "secrets.values.databaseUrl is required (postgres://user:password@host:5432/db)" -}}
{{- else if not (regexMatch "^postgres(ql)?://" $v.databaseUrl) -}}
{{- $errors = append $errors "secrets.values.databaseUrl must be a postgres:// URL" -}}
{{- end -}}
{{- if not $v.redisUrl -}}
{{- $errors = append $errors "secrets.values.redisUrl is required (redis://host:6379 or rediss://...)" -}}
{{- else if not (regexMatch "^rediss?://" $v.redisUrl) -}}
{{- $errors = append $errors "secrets.values.redisUrl must be a redis:// or rediss:// URL" -}}
{{- end -}}
{{- if not $v.keyEncryptionKey -}}
{{- $errors = append $errors "secrets.values.keyEncryptionKey is required (openssl rand -base64 32)" -}}
{{- else if ne (len (b64dec $v.keyEncryptionKey)) 32 -}}
{{- $errors = append $errors "secrets.values.keyEncryptionKey must be 32 bytes, base64-encoded (openssl rand -base64 32)" -}}
{{- end -}}
{{- range $i, $previous := splitList "," (default "" $v.keyEncryptionKeyPrevious | nospace) -}}
{{- if and $previous (ne (len (b64dec $previous)) 32) -}}
{{- $errors = append $errors (printf "secrets.values.keyEncryptionKeyPrevious: key %d must be 32 bytes, base64-encoded" (add1 $i)) -}}
{{- end -}}
{{- end -}}
{{- if and (not $v.adminApiTokenHashes) (not $v.adminApiToken) -}}
{{- $errors = append $errors "secrets.values.adminApiTokenHashes (recommended: admin-tokens generate --name <name>) or secrets.values.adminApiToken is required" -}}
{{- end -}}
{{- if $v.adminApiTokenHashes -}}
{{- range $i, $entry := splitList "," $v.adminApiTokenHashes -}}
{{- if and (trim $entry) (not (regexMatch "^[a-z0-9][a-z0-9_-]{0,62}=sha256:[0-9a-fA-F]{64}$" (trim $entry))) -}}
{{- $errors = append $errors (printf "secrets.values.adminApiTokenHashes entry %d must be <name>=sha256:<64 hex digits>" (add1 $i)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if and $v.adminApiToken (lt (len $v.adminApiToken) 24) -}}
{{- $errors = append $errors "secrets.values.adminApiToken must be at least 24 characters" -}}
{{- end -}}
{{- if $errors -}}
{{- fail (printf "\n\nsecrets.existingSecret is empty, so the chart creates the Secret from secrets.values, but:\n  - %s\nSet them, or set secrets.existingSecret to the name of a Secret you manage.\n" (join "\n  - " $errors)) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The data of a chart-created Secret (base64, keys named by secrets.keys). */}}
{{- define "identity-gateway.secretData" -}}
{{- $k := .Values.secrets.keys -}}
{{- $v := .Values.secrets.values -}}
{{ $k.databaseUrl }}: {{ $v.databaseUrl | b64enc | quote }}
{{ $k.redisUrl }}: {{ $v.redisUrl | b64enc | quote }}
{{ $k.keyEncryptionKey }}: {{ $v.keyEncryptionKey | b64enc | quote }}
{{- if $v.adminApiTokenHashes }}
{{ $k.adminApiTokenHashes }}: {{ $v.adminApiTokenHashes | b64enc | quote }}
{{- end }}
{{- if $v.adminApiToken }}
{{ $k.adminApiToken }}: {{ $v.adminApiToken | b64enc | quote }}
{{- end }}
{{- if $v.keyEncryptionKeyPrevious }}
{{ $k.keyEncryptionKeyPrevious }}: {{ $v.keyEncryptionKeyPrevious | nospace | b64enc | quote }}
{{- end }}
{{- end -}}

{{/*
Environment
*/}}

{{/* Non-secret settings: the ConfigMap's data, and the migration hook's env (the hook cannot rely on the ConfigMap). */}}
{{- define "identity-gateway.configData" -}}
NODE_ENV: "production"
PORT: {{ .Values.containerPorts.public | int | toString | quote }}
ADMIN_PORT: {{ .Values.containerPorts.admin | int | toString | quote }}
ADMIN_HOST: "0.0.0.0"
BASE_DOMAIN: {{ .Values.baseDomain | lower | quote }}
REDIS_KEY_PREFIX: {{ .Values.config.redisKeyPrefix | quote }}
TRUSTED_PROXIES: {{ join "," .Values.config.trustedProxies | quote }}
DATA_DIR: "/tmp/data"
LOG_LEVEL: {{ .Values.config.logLevel | quote }}
ISSUER_POOL_MAX: {{ .Values.config.issuerPoolMax | int | toString | quote }}
ISSUER_IDLE_SECONDS: {{ .Values.config.issuerIdleSeconds | int | toString | quote }}
AUDIT_RETENTION_DAYS: {{ .Values.config.auditRetentionDays | int | toString | quote }}
ADMIN_RATE_LIMIT_PER_MINUTE: {{ .Values.config.adminRateLimitPerMinute | int | toString | quote }}
{{- end -}}

{{/*
env entries that read the secret settings from a Secret. Argument: dict "root" $ "secretName" name.
The two admin token keys are optional each: a Secret holds one or both, and the gateway refuses to
start (naming both variables) when it holds neither.
*/}}
{{- define "identity-gateway.secretEnv" -}}
{{- $k := .root.Values.secrets.keys -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ .secretName }}
      key: {{ $k.databaseUrl }}
- name: REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ .secretName }}
      key: {{ $k.redisUrl }}
- name: KEY_ENCRYPTION_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .secretName }}
      key: {{ $k.keyEncryptionKey }}
- name: ADMIN_API_TOKEN_HASHES
  valueFrom:
    secretKeyRef:
      name: {{ .secretName }}
      key: {{ $k.adminApiTokenHashes }}
      optional: true
- name: ADMIN_API_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ .secretName }}
      key: {{ $k.adminApiToken }}
      optional: true
{{- /* Only during a key-encryption key rotation: absent from the Secret, the variable is simply unset. */}}
- name: KEY_ENCRYPTION_KEY_PREVIOUS
  valueFrom:
    secretKeyRef:
      name: {{ .secretName }}
      key: {{ $k.keyEncryptionKeyPrevious }}
      optional: true
{{- end -}}

{{/*
Pod building blocks shared by the Deployment and the migration Job
*/}}

{{- define "identity-gateway.podSecurityContext" -}}
{{- toYaml .Values.podSecurityContext -}}
{{- end -}}

{{- define "identity-gateway.containerSecurityContext" -}}
{{- toYaml .Values.securityContext -}}
{{- end -}}

{{/* The writable scratch volume: /tmp (DATA_DIR=/tmp/data) on a read-only root filesystem. */}}
{{- define "identity-gateway.tmpVolume" -}}
- name: tmp
  emptyDir:
    {{- with .Values.tmpVolume.medium }}
    medium: {{ . }}
    {{- end }}
    {{- with .Values.tmpVolume.sizeLimit }}
    sizeLimit: {{ . }}
    {{- end }}
{{- end -}}

{{/* Name of the wildcard TLS Secret (Ingress and Certificate). */}}
{{- define "identity-gateway.tlsSecretName" -}}
{{- default (printf "%s-wildcard-tls" (include "identity-gateway.fullnameBase" .)) .Values.ingress.tls.secretName -}}
{{- end -}}

{{/* A NetworkPolicyPeer from a {namespaceSelector, podSelector} pair; {} renders inline (selects all). */}}
{{- define "identity-gateway.npPeer" -}}
{{- if .namespaceSelector }}
namespaceSelector:
  {{- toYaml .namespaceSelector | nindent 2 }}
{{- else }}
namespaceSelector: {}
{{- end }}
{{- if .podSelector }}
podSelector:
  {{- toYaml .podSelector | nindent 2 }}
{{- else }}
podSelector: {}
{{- end }}
{{- end -}}
