-- 20 keys and 20 arguments
--! keys: k1 k2 k3 k4 k5 k6 k7 k8 k9 k10 k11 k12 k13 k14 k15 k16 k17 k18 k19 k20
--! args: a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11 a12 a13 a14 a15 a16 a17 a18 a19 a20
return {#KEYS, #ARGV, KEYS[20], ARGV[20], table.concat(KEYS, ",")}
