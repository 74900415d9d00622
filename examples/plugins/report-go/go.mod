module example/report

go 1.24

require pilothouse/pdk v0.0.0

replace pilothouse/pdk => ../../../pdk/go
