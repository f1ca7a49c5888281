 #!/usr/bin/lua
