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

{{/*
Labels of every object. The version label is the chart's appVersion, not the image tag, so
that `--set image.tag=...` changes the image and nothing else.
*/}}
{{- define "mcp-server.labels" -}}
{{ include "mcp-server.selectorLabels" . }}
app.kubernetes.io/component: server
{{ include "mcp-server.commonLabels" . }}
{{- end }}

{{/* Labels shared by the app's objects and the helm test pod. */}}
{{- define "mcp-server.commonLabels" -}}
helm.sh/chart: {{ include "mcp-server.chart" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
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

{{/* The app's image reference; the tag defaults to the chart's appVersion. */}}
{{- define "mcp-server.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* Port the container listens on (PORT); the Service maps service.port to it. */}}
{{- define "mcp-server.containerPort" -}}
8000
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
Checks across values that a JSON schema cannot express; called from the Deployment.
*/}}
{{- define "mcp-server.validateValues" -}}
{{- if and .Values.autoscaling.enabled (gt (.Values.autoscaling.minReplicas | int) (.Values.autoscaling.maxReplicas | int)) }}
{{- fail (printf "autoscaling.minReplicas (%d) must not exceed autoscaling.maxReplicas (%d)" (.Values.autoscaling.minReplicas | int) (.Values.autoscaling.maxReplicas | int)) }}
{{- end }}
{{- if and .Values.autoscaling.enabled (not (dig "requests" "cpu" "" (.Values.resources | default dict))) }}
{{- fail "autoscaling.enabled needs resources.requests.cpu: the HPA's CPU target is a percentage of it" }}
{{- end }}
{{- $drainSeconds := 30 }}
{{- if le (.Values.terminationGracePeriodSeconds | int) (add (.Values.preStopSleepSeconds | int) $drainSeconds | int) }}
{{- fail (printf "terminationGracePeriodSeconds (%d) must exceed preStopSleepSeconds (%d) plus the app's %d s drain time" (.Values.terminationGracePeriodSeconds | int) (.Values.preStopSleepSeconds | int) $drainSeconds) }}
{{- end }}
{{- end }}
