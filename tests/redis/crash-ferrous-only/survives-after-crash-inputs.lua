-- after the crash inputs above, the server still answers (liveness check)
--! expect: :42\r\n
return 42
