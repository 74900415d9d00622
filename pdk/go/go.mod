module pilothouse/pdk

go 1.24
