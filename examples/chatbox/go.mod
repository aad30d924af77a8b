module github.com/example/chatbox

go 1.22

require (
	github.com/BurntSushi/toml v1.4.0
	github.com/golang-jwt/jwt/v5 v5.2.1
	github.com/gorilla/websocket v1.5.3
	github.com/redis/go-redis/v9 v9.6.1
)

// Tools used by CI (`go install`), pinned here so every job gets the same build.
require github.com/boumenot/gocover-cobertura v1.3.0 // indirect
