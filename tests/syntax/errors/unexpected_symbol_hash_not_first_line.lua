x = 1
#!/bin/lua
