{{- define "showcase.name" -}}{{ .Release.Name }}-{{ .Chart.Name }}{{- end -}}
