obj:method{1}
