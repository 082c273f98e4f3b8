{{/*
Names and labels of every object in the chart.
*/}}

{{/* Chart name, or nameOverride: the app.kubernetes.io/name label. */}}
{{- define "mcp-server.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name of the objects. The release name alone when it already contains the chart name
(release mcp-server -> mcp-server, as the guide's federated credential subject expects),
otherwise <release>-<name>. DNS labels are limited to 63 characters.
*/}}
{{- define "mcp-server.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* helm.sh/chart label value. */}}
{{- define "mcp-server.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every object. */}}
{{- define "mcp-server.labels" -}}
{{ include "mcp-server.selectorLabels" . }}
app.kubernetes.io/component: server
{{ include "mcp-server.commonLabels" . }}
{{- end }}

{{/* Labels shared by the app's objects and the helm test pod. */}}
{{- define "mcp-server.commonLabels" -}}
helm.sh/chart: {{ include "mcp-server.chart" . }}
app.kubernetes.io/version: {{ include "mcp-server.version" . | quote }}
app.kubernetes.io/part-of: mcp-platform
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Labels of the helm test pod: never the selector labels, or the Deployment's ReplicaSet would
adopt it and the Service would route to it.
*/}}
{{- define "mcp-server.testLabels" -}}
app.kubernetes.io/name: {{ include "mcp-server.name" . }}-test
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: test
{{ include "mcp-server.commonLabels" . }}
{{- end }}

{{/* Labels that select this release's pods. */}}
{{- define "mcp-server.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mcp-server.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Service account the pods run as. */}}
{{- define "mcp-server.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "mcp-server.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
An image tag value as text. An all-digit tag is a number to Helm: int64 from --set, float64
from a values file, which would print as 2.0261207e+07; the schema admits integers only, so
"%.0f" gives back the digits. Empty (or absent) gives "".
*/}}
{{- define "mcp-server.tagText" -}}
{{- if kindIs "float64" . }}
{{- printf "%.0f" . }}
{{- else if not (kindIs "invalid" .) }}
{{- toString . }}
{{- end }}
{{- end }}

{{/* The app's image tag: image.tag, else the chart's appVersion. */}}
{{- define "mcp-server.imageTag" -}}
{{- include "mcp-server.tagText" .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{/*
An image reference from a repository and a tag; a tag that is only a digest (sha256:... or
@sha256:...) is joined with "@".
*/}}
{{- define "mcp-server.imageReference" -}}
{{- $repository := index . 0 }}
{{- $tag := index . 1 }}
{{- if hasPrefix "@" $tag }}
{{- printf "%s%s" $repository $tag }}
{{- else if hasPrefix "sha256:" $tag }}
{{- printf "%s@%s" $repository $tag }}
{{- else }}
{{- printf "%s:%s" $repository $tag }}
{{- end }}
{{- end }}

{{/* The app's image reference. */}}
{{- define "mcp-server.image" -}}
{{- include "mcp-server.imageReference" (list .Values.image.repository (include "mcp-server.imageTag" .)) }}
{{- end }}

{{/*
The helm test pod's image: the app's own (it ships curl), unless tests.image overrides a part.
*/}}
{{- define "mcp-server.testImage" -}}
{{- $repository := .Values.tests.image.repository | default .Values.image.repository }}
{{- $tag := include "mcp-server.tagText" .Values.tests.image.tag | default (include "mcp-server.imageTag" .) }}
{{- include "mcp-server.imageReference" (list $repository $tag) }}
{{- end }}

{{/*
The app.kubernetes.io/version label: the image tag (so it follows `--set image.tag=...`), made
a valid label value: a digest after the tag dropped, other characters than [A-Za-z0-9._-]
replaced with "-", at most 63 characters, alphanumeric at both ends. The chart's appVersion
when nothing is left.
*/}}
{{- define "mcp-server.version" -}}
{{- $version := "" }}
{{- range list (include "mcp-server.imageTag" .) .Chart.AppVersion }}
{{- if not $version }}
{{- $value := regexReplaceAll "^(.+)@sha256:[a-f0-9]+$" . "${1}" }}
{{- $value = regexReplaceAll "[^A-Za-z0-9._-]+" $value "-" | trunc 63 }}
{{- $version = regexReplaceAll "^[^A-Za-z0-9]+|[^A-Za-z0-9]+$" $value "" }}
{{- end }}
{{- end }}
{{- $version }}
{{- end }}

{{/* Port the container listens on (PORT); the Service maps service.port to it. */}}
{{- define "mcp-server.containerPort" -}}
8000
{{- end }}

{{/*
How long a readiness check may take. With the backend check on, /health/ready waits up to
backendApiTimeout for the backend: a probe that gives up first fails without the app's reason.
*/}}
{{- define "mcp-server.readinessTimeoutSeconds" -}}
{{- if .Values.app.readinessCheckBackend }}
{{- add .Values.app.backendApiTimeout 2 }}
{{- else }}
{{- 5 }}
{{- end }}
{{- end }}

{{/*
Label that lets a pod past the NetworkPolicy without being an mcp-client pod (the helm test
pod carries it).
*/}}
{{- define "mcp-server.clientLabel" -}}
{{ include "mcp-server.fullname" . }}-client
{{- end }}

{{/* Fewest pods that run: what decides whether a PodDisruptionBudget makes sense. */}}
{{- define "mcp-server.minReplicas" -}}
{{- if .Values.autoscaling.enabled }}
{{- .Values.autoscaling.minReplicas | int }}
{{- else }}
{{- .Values.replicaCount | int }}
{{- end }}
{{- end }}

{{/*
Host names the MCP endpoint accepts (DNS-rebinding protection): localhost for
port-forwarding, the Service's in-cluster names, the ingress hosts and app.allowedHosts.
*/}}
{{- define "mcp-server.allowedHosts" -}}
{{- $fullname := include "mcp-server.fullname" . }}
{{- $hosts := list "localhost" "127.0.0.1" "[::1]" $fullname }}
{{- $hosts = append $hosts (printf "%s.%s" $fullname .Release.Namespace) }}
{{- $hosts = append $hosts (printf "%s.%s.svc" $fullname .Release.Namespace) }}
{{- $hosts = append $hosts (printf "%s.%s.svc.cluster.local" $fullname .Release.Namespace) }}
{{- if .Values.ingress.enabled }}
{{- range .Values.ingress.hosts }}
{{- $hosts = append $hosts .host }}
{{- end }}
{{- end }}
{{- concat $hosts .Values.app.allowedHosts | uniq | join "," }}
{{- end }}

{{/*
Labels of the Deployment's pods: the chart's labels, podLabels (which may replace the chart's
informational labels but not the selector labels nor azure.workload.identity/use: see
mcp-server.validateValues), and the workload identity label. A label, not an annotation: the
webhook's object selector matches on it.
*/}}
{{- define "mcp-server.podLabels" -}}
{{- $labels := include "mcp-server.labels" . | fromYaml }}
{{- $labels = mergeOverwrite $labels (deepCopy (.Values.podLabels | default dict)) }}
{{- $_ := set $labels "azure.workload.identity/use" "true" }}
{{- toYaml $labels }}
{{- end }}

{{/*
Annotations of the created service account: the workload identity ones from azure.* and
serviceAccount.annotations. The pods carry their checksum: the webhook reads them only when it
creates a pod.
*/}}
{{- define "mcp-server.serviceAccountAnnotations" -}}
{{- $annotations := dict }}
{{- with .Values.azure.clientId }}
{{- $_ := set $annotations "azure.workload.identity/client-id" . }}
{{- end }}
{{- with .Values.azure.tenantId }}
{{- $_ := set $annotations "azure.workload.identity/tenant-id" . }}
{{- end }}
{{- $annotations = merge $annotations .Values.serviceAccount.annotations }}
{{- with $annotations }}
{{- toYaml . }}
{{- end }}
{{- end }}

{{/*
The replica count of this release's Deployment as it runs now ("" when there is none, and
always under `helm template` or a client-side dry run, where lookup finds nothing).
*/}}
{{- define "mcp-server.liveReplicas" -}}
{{- $live := lookup "apps/v1" "Deployment" .Release.Namespace (include "mcp-server.fullname" .) }}
{{- dig "spec" "replicas" "" ($live | default dict) }}
{{- end }}

{{/*
The TCP port of an http(s) URL: its explicit port, else 443 for https and 80 for http.
*/}}
{{- define "mcp-server.urlPort" -}}
{{- $url := urlParse . }}
{{- $port := regexFind ":[0-9]+$" $url.host | trimPrefix ":" }}
{{- if $port }}
{{- $port | int }}
{{- else if eq $url.scheme "http" }}
{{- 80 }}
{{- else }}
{{- 443 }}
{{- end }}
{{- end }}

{{/*
The PodDisruptionBudget's one limit, as YAML: pdb.minAvailable or pdb.maxUnavailable, whichever
is set (mcp-server.validateValues refuses both), else maxUnavailable: 1.
*/}}
{{- define "mcp-server.pdbLimit" -}}
{{- $set := include "mcp-server.pdbSetLimits" . | fromYaml }}
{{- if $set }}
{{- toYaml $set }}
{{- else }}
{{- toYaml (dict "maxUnavailable" 1) }}
{{- end }}
{{- end }}

{{/* pdb.minAvailable and pdb.maxUnavailable as YAML, those that are set (not "" or null). */}}
{{- define "mcp-server.pdbSetLimits" -}}
{{- $set := dict }}
{{- range $key := list "minAvailable" "maxUnavailable" }}
{{- $value := index $.Values.pdb $key }}
{{- if not (or (kindIs "invalid" $value) (eq (toString $value) "")) }}
{{- $_ := set $set $key $value }}
{{- end }}
{{- end }}
{{- with $set }}
{{- toYaml . }}
{{- end }}
{{- end }}
