#!/usr/bin/perl
# Verifies every DKIM-Signature of a message with Mail::DKIM (Debian libmail-dkim-perl).
# Usage: maildkim-verify.pl MESSAGE KEYS DOMAIN; KEYS has one 'selector._domainkey.domain TXT-record' per line.
# Prints one line per signature; exits 0 only if there is a signature with d=DOMAIN and all of those pass
# (signatures of other domains, an upstream signer's, are reported, not judged). Debian's Mail::DKIM
# 1.20230212 has no ed25519-sha256: such signatures are reported and not judged; exit 2 when nothing was.
# Exits 3 when Mail::DKIM is not installed.
use strict;
use warnings;

BEGIN {
    unless (eval { require Mail::DKIM::Verifier; require Net::DNS; 1 }) {
        print "Mail::DKIM is not installed (Debian package libmail-dkim-perl)\n";
        exit 3;
    }
}

my ($message_file, $keys_file, $judged_domain) = @ARGV;
my %records;
open(my $keys, '<', $keys_file) or die "$keys_file: $!";
while (my $line = <$keys>) {
    chomp $line;
    my ($name, $record) = split / /, $line, 2;
    $records{lc $name} = $record;
}
close $keys;

{
    no warnings 'redefine';
    *Mail::DKIM::DNS::query = sub {
        my ($domain, $type) = @_;
        my $record = $records{lc $domain} or return;
        my @strings = unpack('(A255)*', $record);
        return (Net::DNS::RR->new(name => $domain, type => 'TXT', txtdata => \@strings));
    };
}

my $verifier = Mail::DKIM::Verifier->new();
open(my $message, '<', $message_file) or die "$message_file: $!";
binmode $message;
while (my $line = <$message>) {
    $line =~ s/\r?\n$/\r\n/;
    $verifier->PRINT($line);
}
close $message;
$verifier->CLOSE();

my ($judged, $all) = (0, 1);
for my $signature ($verifier->signatures) {
    printf "d=%s a=%s: %s %s\n", $signature->domain, $signature->algorithm, $signature->result, $signature->result_detail // '';
    next unless lc $signature->domain eq lc $judged_domain;
    next if $signature->algorithm eq 'ed25519-sha256' && ($signature->result_detail // '') =~ /unsupported algorithm/;
    $judged++;
    $all = 0 unless $signature->result eq 'pass';
}
exit(2) unless $judged;
exit($all ? 0 : 1);
